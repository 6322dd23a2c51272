// What `demo.spec.ts` needs to run `pnpm demo` the way the README tells a newcomer to: as a
// normal user, in a clean clone of the repository. As root (CI) it uses a dedicated system user
// (`QUORATE_DEMO_USER`, else `quorate-demo`, made with useradd when missing; the spec expects
// no process of that user but the demo's, so give one of its own) and gives that user a copy of
// root's pnpm store, so the demo's own `pnpm install` needs no network; as any other user it runs
// as that user, with that user's own store.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

export interface DemoUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  /** A user other than the one running the tests (the tests run as root). */
  readonly switched: boolean;
}

const DEFAULT_DEMO_USER = 'quorate-demo';

/** The user the demo runs as; as root, made when missing (a system user with a home). */
export function demoUser(env: NodeJS.ProcessEnv = process.env): DemoUser {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid, home: me.homedir, switched: false };
  }
  const given = env.QUORATE_DEMO_USER;
  const name = given || DEFAULT_DEMO_USER;
  let entry = passwdEntry(name);
  if (!entry && given) throw new Error(`QUORATE_DEMO_USER: no user named ${given} on this machine`);
  if (!entry) {
    execFileSync('useradd', [
      ...['--system', '--create-home', '--home-dir', `/home/${name}`],
      ...['--shell', '/bin/sh', '--comment', 'Quorate demo test user', name],
    ]);
    entry = passwdEntry(name);
  }
  if (!entry) throw new Error(`useradd ${name}: the user was not made`);
  if (entry.uid === 0) throw new Error(`QUORATE_DEMO_USER: ${name} is root; name a normal user`);
  return { name, ...entry, switched: true };
}

function passwdEntry(name: string): { uid: number; gid: number; home: string } | undefined {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
  const [, , uid, gid, , home] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), home: home ?? '' };
}

/** The directory holding this machine's `pnpm` (CI installs it with npm). */
function pnpmDir(): string {
  const path = execFileSync('sh', ['-c', 'command -v pnpm'], { encoding: 'utf8' }).trim();
  if (!path) throw new Error('pnpm is not on PATH');
  return dirname(path);
}

/**
 * A login-like environment: nothing of the test runner's (its PATH names this repository's
 * node_modules/.bin). `pnpm_config_offline` makes the demo's `pnpm install` prove that it needs
 * no network. A developer's own demo folder is left alone: `XDG_STATE_HOME` points into the run's
 * folder unless the demo runs as a user of its own.
 */
export function demoEnv(user: DemoUser, runDir: string): NodeJS.ProcessEnv {
  const path = [
    ...new Set([dirname(process.execPath), pnpmDir(), '/usr/local/bin', '/usr/bin', '/bin']),
  ];
  return {
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    PATH: path.join(':'),
    LANG: 'C.UTF-8',
    pnpm_config_offline: 'true',
    ...(user.switched ? {} : { XDG_STATE_HOME: join(runDir, 'state') }),
  };
}

/** The demo's folder as the README gives it: `$XDG_STATE_HOME/quorate-demo`, else under ~. */
export function demoDirOf(user: DemoUser, env: NodeJS.ProcessEnv): string {
  return join(env.XDG_STATE_HOME ?? join(user.home, '.local', 'state'), 'quorate-demo');
}

interface RunOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly input?: string;
}

const asUser = (user: DemoUser) => (user.switched ? { uid: user.uid, gid: user.gid } : {});

/** Runs a command as the demo user; rejects with its output when it fails. */
export function runAs(
  user: DemoUser,
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, ...asUser(user), timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    // A command that reads no input may end before it is written (EPIPE): its status tells.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** Starts a command as the demo user, as the leader of its own process group (a terminal's job). */
export function spawnAs(
  user: DemoUser,
  command: string,
  args: readonly string[],
  options: RunOptions,
): ChildProcess {
  return spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    ...asUser(user),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A folder for the run that the demo user owns (and so may read and write). */
export function runFolder(user: DemoUser): string {
  const dir = mkdtempSync(join(tmpdir(), 'quorate-demo-e2e-'));
  // A fresh, empty folder: no file of anyone else's changes owner.
  if (user.switched) execFileSync('chown', [`${user.uid}:${user.gid}`, dir]);
  return dir;
}

/**
 * `git clone --no-hardlinks` of `repo` at its HEAD into `dir/quorate`, handed to the demo user
 * (who may be unable to read the repository: CI's clone may live in root's home). A clone has
 * only committed files: uncommitted changes of a working tree are not in it (in CI, the
 * repository under test is itself a clone, so nothing is missed).
 */
export function cloneFor(user: DemoUser, repo: string, dir: string) {
  const clone = join(dir, 'quorate');
  const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  git(['clone', '--quiet', '--no-hardlinks', repo, clone]);
  const head = git(['-C', repo, 'rev-parse', 'HEAD']);
  const cloned = git(['-C', clone, 'rev-parse', 'HEAD']);
  if (cloned !== head) throw new Error(`the clone is at ${cloned}, the repository at ${head}`);
  if (user.switched) {
    // A file shared with the repository (a hard link) would change owner there too.
    const shared = readdirSync(clone, { recursive: true, encoding: 'utf8' }).filter((path) => {
      const stat = lstatSync(join(clone, path));
      return !stat.isDirectory() && stat.nlink > 1;
    });
    if (shared.length > 0)
      throw new Error(`the clone shares files: ${shared.slice(0, 5).join(', ')}`);
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, clone]);
  }
  const uncommitted = git(['-C', repo, 'status', '--porcelain']).split('\n').filter(Boolean);
  return { clone, head, uncommitted: uncommitted.length };
}

/**
 * Gives a switched demo user what root's `pnpm install` (CI's first step) put in root's pnpm
 * store and metadata cache, so that the demo's `pnpm install --frozen-lockfile` finds every
 * package, and better-sqlite3's build in the side-effects cache, offline. Copies (never links:
 * the copies change owner) only what is new since an earlier run. The current user (not
 * switched) keeps their own store.
 */
export async function shareStore(user: DemoUser, clone: string, env: NodeJS.ProcessEnv) {
  if (!user.switched) throw new Error('shareStore: the demo runs as the current user');
  const rootStore = execFileSync('pnpm', ['store', 'path'], {
    cwd: clone,
    encoding: 'utf8',
  }).trim();
  const userStore = (await runAs(user, 'pnpm', ['store', 'path'], { cwd: clone, env })).trim();
  const rootCache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pnpm');
  const userCache = join(user.home, '.cache', 'pnpm');
  for (const [from, to] of [
    [rootStore, userStore],
    [rootCache, userCache],
  ] as const) {
    if (!existsSync(from)) {
      throw new Error(`root's pnpm ${from} is missing: run pnpm install first`);
    }
    await runAs(user, 'mkdir', ['-p', to], { env });
    execFileSync('cp', ['-R', '--preserve=mode,timestamps', '-u', `${from}/.`, `${to}/`]);
    // The store's index names what its files hold: the whole of root's, always.
    const index = join(from, 'index.db');
    if (existsSync(index)) execFileSync('cp', ['--preserve=mode,timestamps', index, to]);
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, to]);
  }
}

/** The loopback ports of the README's demo: agents, their metrics, web service, console. */
export const DEMO_PORTS = [11111, 11112, 11113, 12111, 12112, 12113, 8088, 8084] as const;

/** Every live process whose working directory or command line names one of `dirs`. */
export function processesNaming(dirs: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (dirs.some((dir) => cwd.startsWith(dir) || command.includes(dir))) {
        found.push(`${entry}: ${command}`);
      }
    } catch {
      // Gone in the meantime.
    }
  }
  return found;
}

/** Every live process of user `uid`. */
export function processesOf(uid: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(real) !== uid || /^State:\s+Z/m.test(status)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.push(`${entry}: ${command}`);
    } catch {
      // Gone in the meantime.
    }
  }
  return found;
}

/** The ports of `ports` that cannot be bound on loopback right now. */
export async function portsInUse(ports: readonly number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) {
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) await new Promise((resolve) => server.close(resolve));
    else busy.push(port);
  }
  return busy;
}
