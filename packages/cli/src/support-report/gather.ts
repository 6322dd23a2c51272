// What a support report holds, gathered from the local node: its cluster.conf and backups
// (secrets redacted), what the agent says (clustat, cman_tool), the state directory's listing
// (names and sizes only: it holds keys and the agent password's hash), recent logs, and the
// machine's basics. Each part that cannot be had becomes a note saying why, never a failure.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname, release, uptime } from 'node:os';
import { join } from 'node:path';
import { runClustat } from '../clustat/main.js';
import { runCmanTool } from '../cman-tool/main.js';
import type { Env, RunOptions } from '../command-io.js';
import { quorateVersion } from '../version.js';
import { redactClusterConf, redactText } from './redact.js';

export interface ReportFile {
  readonly name: string;
  readonly content: string;
}

export interface GatherOptions {
  readonly configDir: string;
  readonly stateDir: string;
  /** Log files to take the tail of (the demo's, or an agent run by hand). */
  readonly logFiles: readonly string[];
  /** Lines of the agent's journal (systemd unit quorate-ricci); 0: none. */
  readonly journalLines: number;
  readonly env: Env;
  readonly run: RunOptions;
  readonly now: Date;
}

/** How much of a log file is kept: its last MiB. */
const LOG_TAIL_BYTES = 1024 * 1024;
const COMMAND_TIMEOUT_MS = 10_000;

export async function gatherReport(options: GatherOptions): Promise<ReportFile[]> {
  const notes: string[] = [];
  const config = configFiles(options.configDir, notes);
  const secrets = config.secrets;
  const files: ReportFile[] = [...config.files];
  for (const [name, args] of [
    ['clustat.txt', ['clustat', []]],
    ['clustat.xml', ['clustat', ['-x']]],
    ['cman_tool-status.txt', ['cman_tool', ['status']]],
    ['cman_tool-nodes.txt', ['cman_tool', ['nodes']]],
  ] as const) {
    files.push({ name: `status/${name}`, content: await agentOutput(args[0], args[1], options) });
  }
  files.push({ name: 'state-dir.txt', content: listing(options.stateDir) });
  for (const [index, path] of options.logFiles.entries()) {
    files.push({ name: `logs/${index + 1}-${basename(path)}`, content: logTail(path, notes) });
  }
  if (options.journalLines > 0) {
    files.push({ name: 'logs/journal-quorate-ricci.txt', content: await journal(options) });
  }
  files.push({ name: 'system.txt', content: await system(options.now) });
  files.push({ name: 'README.txt', content: readme(options, config.paths, notes) });
  return files.map((file) => ({ name: file.name, content: redactText(file.content, secrets) }));
}

function basename(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? 'log';
}

/** cluster.conf and its backups, redacted; the secrets of all of them. */
function configFiles(dir: string, notes: string[]) {
  const files: ReportFile[] = [];
  const secrets: string[] = [];
  const paths: string[] = [];
  const names = existsSync(dir)
    ? readdirSync(dir).filter((name) => /^cluster\.conf(\.bak\.\d+)?$/.test(name))
    : [];
  if (names.length === 0) notes.push(`no cluster.conf in ${dir}`);
  for (const name of names.sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    try {
      const redacted = redactClusterConf(text);
      secrets.push(...redacted.secrets);
      if (name === 'cluster.conf') paths.push(...redacted.paths);
      files.push({ name: `config/${name}`, content: redacted.text });
    } catch (error) {
      // Not XML: it cannot be redacted by attribute, so it stays out.
      notes.push(`${name} left out: it does not parse (${(error as Error).message})`);
    }
  }
  return { files, secrets, paths };
}

/** A command of the RHCS command line run in-process against the local agent. */
async function agentOutput(
  command: 'clustat' | 'cman_tool',
  args: readonly string[],
  options: GatherOptions,
): Promise<string> {
  const chunks: string[] = [];
  const io = {
    stdout: (text: string) => {
      chunks.push(text);
    },
    stderr: (text: string) => {
      chunks.push(text);
    },
  };
  const run = { ...options.run, timeoutMs: options.run.timeoutMs ?? COMMAND_TIMEOUT_MS };
  const status =
    command === 'clustat'
      ? await runClustat(args, options.env, io, run)
      : await runCmanTool(args, options.env, io, run);
  return `$ ${command} ${args.join(' ')}\n${chunks.join('')}(exit status ${status})\n`;
}

/** Names, modes, sizes and times under the state directory; never a file's contents. */
function listing(dir: string): string {
  if (!existsSync(dir)) return `${dir}: does not exist\n`;
  const lines: string[] = [];
  const walk = (path: string, shown: string, depth: number) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
      const kind = stat.isDirectory() ? 'dir ' : 'file';
      lines.push(
        `${kind} ${mode} ${String(stat.size).padStart(10)} ${stat.mtime.toISOString()} ${shown}${name}`,
      );
      if (stat.isDirectory() && depth < 4) walk(full, `${shown}${name}/`, depth + 1);
    }
  };
  walk(dir, '', 0);
  return `${dir} (names and sizes only)\n${lines.join('\n')}\n`;
}

function logTail(path: string, notes: string[]): string {
  try {
    const data = readFileSync(path);
    const tail = data.subarray(Math.max(0, data.length - LOG_TAIL_BYTES)).toString('utf8');
    if (data.length > LOG_TAIL_BYTES) notes.push(`${path}: only its last ${LOG_TAIL_BYTES} bytes`);
    return tail;
  } catch (error) {
    notes.push(`${path}: ${(error as Error).message}`);
    return '';
  }
}

/** A program's output, or why there is none (absent, failed): never a failure of the report. */
function capture(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * LOG_TAIL_BYTES },
      (error, stdout, stderr) => {
        const failure = error ? `(${command}: ${error.message.split('\n')[0]})\n` : '';
        resolve(`${stdout}${stderr}${failure}`);
      },
    );
  });
}

function journal(options: GatherOptions): Promise<string> {
  return capture('journalctl', [
    '--unit',
    'quorate-ricci.service',
    '--lines',
    String(options.journalLines),
    '--no-pager',
    '--output',
    'short-iso',
  ]);
}

async function system(now: Date): Promise<string> {
  const addresses = await capture('ip', ['-brief', 'address']);
  return [
    `report made: ${now.toISOString()}`,
    `host: ${hostname()}`,
    `kernel: ${release()}`,
    `uptime: ${Math.round(uptime())} s`,
    `quorate command line: ${quorateVersion}`,
    `node.js: ${process.version}`,
    '',
    '$ ip -brief address',
    addresses,
  ].join('\n');
}

function readme(
  options: GatherOptions,
  redactedPaths: readonly string[],
  notes: readonly string[],
) {
  return `Quorate support report of ${hostname()}, made ${options.now.toISOString()}.

config/        cluster.conf and its backups from ${options.configDir}, secrets redacted
status/        clustat, clustat -x, cman_tool status and nodes, as the local agent answered
state-dir.txt  the listing of ${options.stateDir} (names and sizes; no file's contents)
logs/          the agent's recent log lines
system.txt     host, kernel, versions, addresses

Redacted in cluster.conf (their values are also blanked out of every other file):
${redactedPaths.map((path) => `  ${path}`).join('\n') || '  nothing'}
${notes.length ? `\nNotes:\n${notes.map((note) => `  ${note}`).join('\n')}\n` : ''}`;
}
