// `pnpm demo -- --test-hosts` (demo-test-hosts.ts, started by apps/demo's main as the launcher
// does after its build): it prints the console's URL on 127.0.0.1 and a one-time password that
// signs in there (loopback, relayed to the console host through a Unix socket), the console sees
// the cluster with webservice started, the printed `ip netns exec <client> curl` fetches the page
// from the floating IP, and Ctrl-C (SIGINT to the process group) leaves no namespace, process,
// folder or port of it. Needs root and the test-host tools; after `pnpm build`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPaths } from './layout.js';
import { e2eSkipReason } from './requirements.js';
import { runNetworkNamespaces, sweep } from './sweep.js';

const skip = e2eSkipReason();
const repo = fileURLToPath(new URL('../..', import.meta.url));
const demoMain = join(repo, 'apps/demo/dist/main.js');
const WAIT_MS = 150_000;

/** A loopback port nothing listens on now, from a printed seed. */
async function freePort(): Promise<number> {
  const seed = Math.floor(Math.random() * 5000);
  console.info(`demo test-hosts test: port seed ${seed}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 40_000 + ((seed + attempt * 131) % 5000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free loopback port found');
}

function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The demo's output, line by line, and a wait for the first line that matches. */
class Output {
  readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;

  constructor(child: ChildProcess) {
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.lines.push(...lines);
      for (const waiter of this.waiters) waiter();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.lines.push(`stderr: ${chunk.trimEnd()}`));
    child.once('exit', () => {
      this.ended = true;
      for (const waiter of this.waiters) waiter();
    });
  }

  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.waiters.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        for (const line of this.lines) {
          const match = pattern.exec(line);
          if (match) {
            done();
            resolve(match);
            return;
          }
        }
        if (this.ended) fail('the demo ended');
      };
      const fail = (why: string) => {
        done();
        reject(new Error(`${why} before a line matching ${pattern}:\n${this.lines.join('\n')}`));
      };
      const timer = setTimeout(() => fail(`${WAIT_MS} ms passed`), WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }
}

/** A request to the console through the forwarded loopback port, trusting its certificate. */
function consoleCall(
  port: number,
  ca: string,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string } = {},
): Promise<{ status: number; body: string; cookie: string | undefined }> {
  const origin = `https://127.0.0.1:${port}`;
  const headers: Record<string, string> = { origin };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  return new Promise((resolve, reject) => {
    const sent = request(`${origin}${path}`, { method, ca, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: text,
          cookie: [response.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0],
        }),
      );
    });
    sent.on('error', reject);
    sent.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

/** The network namespaces' inode numbers, as /proc/PID/ns/net names them (`net:[N]`). */
function namespaceLinks(runId: string): string[] {
  return runNetworkNamespaces(runId).map((name) => `net:[${statSync(`/run/netns/${name}`).ino}]`);
}

/**
 * Every process of the run: in one of its network namespaces, naming its folder or namespaces,
 * or the demo's entry point with this run's console port.
 */
function processesOf(runId: string, netLinks: readonly string[], port: number): string[] {
  const entryPoint = `demo-test-hosts.js --console-port ${port}`;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const names = [runPaths(runId).root, `qr${runId}-`, entryPoint];
      const inRun = netLinks.includes(readlinkSync(`/proc/${entry}/ns/net`));
      if (inRun || names.some((name) => command.includes(name))) found.push(`${entry}: ${command}`);
    } catch {
      // Gone in the meantime.
    }
  }
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe.skipIf(skip)('pnpm demo -- --test-hosts', () => {
  let demo: ChildProcess | undefined;
  let runId: string | undefined;

  afterAll(async () => {
    // Only when the test failed midway: the demo's group, then its run by id.
    if (demo?.pid !== undefined && demo.exitCode === null) process.kill(-demo.pid, 'SIGKILL');
    if (runId !== undefined && existsSync(runPaths(runId).root)) await sweep(runId);
  }, 60_000);

  it('signs in through the forwarded port, serves the floating IP to the client host, and Ctrl-C leaves nothing', async () => {
    const port = await freePort();
    const startedAt = Date.now();
    // What bin/quorate-demo runs after its build step (left out: it rebuilds the work tree).
    const script = `const { demoMain } = await import(${JSON.stringify(demoMain)});
process.exitCode = await demoMain(process.argv.slice(1));`;
    const args = ['--input-type=module', '-e', script, '--', '--test-hosts'];
    demo = spawn(process.execPath, [...args, '--console-port', String(port)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = new Output(demo);
    runId = (await output.waitFor(/^quorate demo: run ([a-z0-9]{6}): namespaces qr\1-\*$/))[1];
    const url = (await output.waitFor(/^Console: (https:\/\/127\.0\.0\.1:\d+\/)$/))[1];
    const password = (await output.waitFor(/one-time password: (\S+)$/))[1] as string;
    console.info(`demo test-hosts test: URL printed ${Date.now() - startedAt} ms after the start`);
    const steps = output.lines.filter((line) => /\(\+[\d.]+ s\)$/.test(line));
    console.info(`demo test-hosts test: the demo's steps\n${steps.join('\n')}`);
    expect(url).toBe(`https://127.0.0.1:${port}/`);

    const ca = readFileSync(
      join(runPaths(runId as string).root, 'console/tls/console.crt'),
      'utf8',
    );
    const signIn = (secret: string) =>
      consoleCall(port, ca, 'POST', '/api/session', { body: { user: 'admin', password: secret } });
    expect((await signIn(`${password}x`)).status).toBe(401);
    const session = await signIn(password);
    expect(session.status).toBe(200);
    const view = await consoleCall(port, ca, 'GET', '/api/clusters/demo/status', {
      cookie: session.cookie,
    });
    expect(view.status, view.body).toBe(200);
    const status = JSON.parse(view.body) as {
      link: { state: string };
      status: { services: Array<{ id: string; state: string; owner: string }> };
    };
    expect(status.link.state).toBe('connected');
    const service = status.status.services.find((s) => s.id === 'service:webservice');
    expect(service?.state).toBe('started');

    // The printed command, as the administrator would paste it.
    const command = (await output.waitFor(/^Web service: (ip netns exec \S+ curl \S+)$/))[1];
    const [tool, ...rest] = (command as string).split(' ');
    expect(rest.slice(0, 3)).toEqual(['netns', 'exec', `qr${runId}-client`]);
    const fetched = await run(tool as string, rest);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout.trim()).toBe(`hello from ${service?.owner}`);

    const id = runId as string;
    const netLinks = namespaceLinks(id);
    expect(netLinks).toHaveLength(6);
    expect(processesOf(id, netLinks, port).length).toBeGreaterThan(3);
    const pid = demo.pid as number;
    process.kill(-pid, 'SIGINT');
    await output.waitFor(/^quorate demo: stopped$/);
    await new Promise((resolve) =>
      demo?.exitCode === null ? demo.once('exit', resolve) : resolve(0),
    );
    expect(demo.exitCode).toBe(0);
    expect(output.lines).toContainEqual(expect.stringMatching(`^quorate demo: removed run ${id}`));
    expect(runNetworkNamespaces(id)).toEqual([]);
    const listed = await run('ip', ['netns', 'list']);
    expect(listed.stdout).not.toContain(`qr${id}-`);
    expect(existsSync(runPaths(id).root)).toBe(false);
    expect(processesOf(id, netLinks, port)).toEqual([]);
    expect(alive(pid)).toBe(false);
    expect(await bindable(port)).toBe(true);
  }, 240_000);
});
