// `pnpm bundle`: the agent bundle (DESIGN.md §5, Installation). The agent and the command line
// become one CommonJS script, the script becomes a Node.js single executable application (a
// stripped copy of this Node.js with the script injected as a blob), and the executable goes
// into a versioned archive with its command links, the built-in resource agents, the systemd
// unit, install.sh and the licenses, next to a checksum. Nothing is cached: out/ is made anew.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { build } from 'esbuild';
import { inject } from 'postject';
import {
  type ArchiveNames,
  archiveNames,
  bundleDir,
  DOC_DIR,
  filesDir,
  OCF_AGENTS_DIR,
  outDir,
  UNIT_PATH,
} from './archive-layout.js';
import { EXECUTABLE_NAME, LINKED_COMMANDS } from './dispatch.js';
import { bundledPackageNotices, nodeLicenseText } from './licenses.js';

/** The sentinel Node.js looks for to know a blob was injected (its SEA documentation's). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Fast enough for CI (about 4 s for the executable) at a few percent over level 9's size. */
const GZIP_LEVEL = 4;

export interface BuildSummary {
  readonly archive: string;
  readonly archiveBytes: number;
  readonly executableBytes: number;
  readonly sha256: string;
  readonly stepsMs: Readonly<Record<string, number>>;
  readonly totalMs: number;
}

/** Runs a tool to completion; a non-zero exit is an error naming the command and its output. */
function run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: env ?? process.env });
  if (result.error) throw new Error(`${command} (is it installed?): ${result.error.message}`);
  if (result.status !== 0) {
    const detail = `${result.stderr}${result.stdout}`.trim();
    throw new Error(`${command} ${args.join(' ')}: exit ${result.status}: ${detail}`);
  }
  return result.stdout;
}

/** The agent and the CLI in one CommonJS file; returns the bundled package folders. */
async function bundleScript(entry: string, outfile: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ws would try its optional native speed-ups, which a single executable cannot load.
    define: {
      'process.env.WS_NO_BUFFER_UTIL': '"1"',
      'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
    },
    legalComments: 'none',
    metafile: true,
    absWorkingDir: bundleDir,
    logLevel: 'warning',
  });
  return Object.keys(result.metafile.inputs);
}

/**
 * The built-in resource agents, as @quorate/agents lists them in its `files`: `agents/ip` goes
 * to `ip`, `agents/lib/ocf-agent.sh` to `lib/ocf-agent.sh` (each agent sources it from beside
 * itself).
 */
function agentFiles(): Array<{ from: string; to: string }> {
  const require = createRequire(join(bundleDir, '..', 'package.json'));
  const manifestPath = require.resolve('@quorate/agents/package.json');
  const root = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const files: unknown = manifest.files;
  if (!Array.isArray(files) || files.length === 0) {
    throw new Error(`${manifestPath} files: must list the agents to ship`);
  }
  return files.map((file: string) => ({
    from: join(root, file),
    to: relative(join(root, 'agents'), join(root, file)),
  }));
}

/** A copy of this Node.js, stripped of its symbol tables, with the script injected as the blob. */
async function makeExecutable(script: string, work: string, executable: string): Promise<void> {
  const configPath = join(work, 'sea-config.json');
  const blobPath = join(work, 'sea-prep.blob');
  const config = {
    main: script,
    output: blobPath,
    disableExperimentalSEAWarning: true,
    // V8's code cache, made now: the commands start without compiling their 2 MB script.
    useCodeCache: true,
  };
  writeFileSync(configPath, JSON.stringify(config));
  run(process.execPath, ['--experimental-sea-config', configPath]);
  mkdirSync(dirname(executable), { recursive: true });
  run('strip', ['-o', executable, process.execPath]);
  await injectQuietly(executable, readFileSync(blobPath));
  chmodSync(executable, 0o755);
}

/**
 * postject's ELF library warns on stderr about each of the many notes in Node's binary that it
 * cannot name, harmlessly; those lines are kept only for the error if the injection fails.
 */
async function injectQuietly(executable: string, blob: Buffer): Promise<void> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...parts: unknown[]) => {
    warnings.push(parts.join(' '));
  };
  try {
    await inject(executable, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE });
  } catch (error) {
    throw new Error(`postject: ${(error as Error).message}\n${warnings.join('\n')}`);
  } finally {
    console.warn = warn;
  }
}

/** Everything but the executable: command links, agents, unit, install.sh, docs, licenses. */
function stageFiles(stage: string, version: string, bundledInputs: readonly string[]): void {
  for (const name of LINKED_COMMANDS) symlinkSync(EXECUTABLE_NAME, join(stage, 'bin', name));
  for (const { from, to } of agentFiles()) {
    const target = join(stage, OCF_AGENTS_DIR, to);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(from, target);
    chmodSync(target, statSync(from).mode & 0o755);
  }
  const copy = (from: string, to: string, mode: number) => {
    mkdirSync(dirname(join(stage, to)), { recursive: true });
    copyFileSync(join(filesDir, from), join(stage, to));
    chmodSync(join(stage, to), mode);
  };
  copy('quorate-ricci.service', UNIT_PATH, 0o644);
  copy('install.sh', 'install.sh', 0o755);
  copy('README', 'README', 0o644);
  writeFileSync(join(stage, 'VERSION'), `${version}\n`, { mode: 0o644 });
  mkdirSync(join(stage, DOC_DIR), { recursive: true });
  writeFileSync(join(stage, DOC_DIR, 'LICENSE.node'), nodeLicenseText(), { mode: 0o644 });
  const notices = bundledPackageNotices(bundleDir, bundledInputs);
  writeFileSync(join(stage, DOC_DIR, 'THIRD-PARTY-NOTICES'), notices, { mode: 0o644 });
}

/** The bundled commands must answer with the package's version, or the archive is misnamed. */
function checkVersion(stage: string, version: string): void {
  const bin = join(stage, 'bin');
  // No PATH and no NODE_OPTIONS: the executable must need nothing from around it.
  const printed = run(join(bin, 'ricci'), ['--version'], {}).trim();
  if (printed !== `ricci ${version}`) {
    throw new Error(
      `bin/ricci --version printed "${printed}", but apps/ricci/package.json says ${version}` +
        ' (RICCI_VERSION in apps/ricci/src/daemon/daemon.ts must match it)',
    );
  }
}

/** tar with root as owner and names sorted, gzipped by this process. */
async function packArchive(stageParent: string, names: ArchiveNames): Promise<void> {
  const ownership = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner'];
  const tar = spawn('tar', ['-C', stageParent, ...ownership, '-cf', '-', names.baseName], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  tar.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    tar.on('error', reject);
    tar.on('close', resolve);
  });
  await pipeline(
    tar.stdout,
    createGzip({ level: GZIP_LEVEL }),
    createWriteStream(names.archivePath),
  );
  const code = await exited;
  if (code !== 0) throw new Error(`tar: exit ${code}: ${stderr.trim()}`);
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export async function buildBundle(): Promise<BuildSummary> {
  const started = performance.now();
  const stepsMs: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => T | Promise<T>): Promise<T> => {
    const from = performance.now();
    const result = await work();
    stepsMs[step] = Math.round(performance.now() - from);
    return result;
  };
  const names = archiveNames();
  rmSync(outDir, { recursive: true, force: true });
  const work = join(outDir, 'work');
  const stageParent = join(outDir, 'stage');
  const stage = join(stageParent, names.baseName);
  mkdirSync(work, { recursive: true });
  const script = join(work, 'quorate.cjs');
  const entry = join(bundleDir, 'dist', 'entry.js');
  const inputs = await timed('bundleScript', () => bundleScript(entry, script));
  const executable = join(stage, 'bin', EXECUTABLE_NAME);
  await timed('makeExecutable', () => makeExecutable(script, work, executable));
  stageFiles(stage, names.version, inputs);
  checkVersion(stage, names.version);
  await timed('packArchive', () => packArchive(stageParent, names));
  const sha256 = await timed('checksum', () => sha256Of(names.archivePath));
  writeFileSync(names.checksumPath, `${sha256}  ${basename(names.archivePath)}\n`);
  const executableBytes = statSync(executable).size;
  rmSync(work, { recursive: true, force: true });
  rmSync(stageParent, { recursive: true, force: true });
  return {
    archive: names.archivePath,
    archiveBytes: statSync(names.archivePath).size,
    executableBytes,
    sha256,
    stepsMs,
    totalMs: Math.round(performance.now() - started),
  };
}
