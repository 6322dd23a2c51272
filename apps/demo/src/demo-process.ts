// A process the demo starts: the leader of its own process group (so Ctrl-C in the terminal
// reaches only the demo command, which stops it), its pid recorded in a file, its output
// appended to a log file and offered line by line to whoever waits for something in it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export interface DemoProcessOptions {
  /** What it is, for messages: `node1`, `console`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly pidFile: string;
  readonly logFile: string;
}

export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

export class DemoProcess {
  readonly pid: number;
  /** Resolves once the process has exited. */
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(line: string) => void>();
  private exit: Exit | null = null;

  constructor(readonly options: DemoProcessOptions) {
    const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (this.child.pid === undefined) throw new Error(`${options.name}: could not start`);
    this.pid = this.child.pid;
    writeFileSync(options.pidFile, `${this.pid}\n`);
    const decoder = new StringDecoder('utf8');
    let partial = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) for (const listener of this.listeners) listener(line);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    this.exited.then(() => log.end());
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Calls `listener` with each later line of stdout; returns a function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first later line `match` accepts; rejects when the process exits first. */
  waitForLine<T>(match: (line: string) => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const stop = this.onLine((line) => {
        const found = match(line);
        if (found === undefined) return;
        stop();
        resolve(found);
      });
      void this.exited.then((exit) => {
        stop();
        const how = exit.signal ?? `exit ${exit.code}`;
        reject(
          new Error(
            `${this.options.name} ended (${how}) before ${what}; see ${this.options.logFile}`,
          ),
        );
      });
    });
  }

  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  /** SIGTERM, then SIGKILL to the group after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number): Promise<Exit> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    // Whatever it left in its group goes with it.
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {}
    return exit;
  }
}

/** One JSON log line's fields, or undefined for any other line. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The start time (clock ticks since boot) of a live process, from /proc; undefined if none. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** Every process whose working directory is one of `dirs` (a demo node's processes). */
export function processesWorkingIn(dirs: readonly string[]): number[] {
  const wanted = new Set(dirs);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (wanted.has(readlinkSync(join('/proc', entry, 'cwd')))) found.push(Number(entry));
    } catch {
      // Gone, or another user's.
    }
  }
  return found;
}
