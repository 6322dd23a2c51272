// A process running on a test host: its output as lines, and waits driven by events (a line
// arrives, the process exits), each bounded by a timeout.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ProcessIdentity } from './procfs.js';
import { signalIdentity } from './procfs.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export class HostProcess {
  readonly lines: OutputLine[] = [];
  /** Settles when the process has exited and its output is drained. */
  readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | undefined;
  private readonly events = new EventEmitter();

  constructor(
    readonly host: string,
    readonly argv: readonly string[],
    readonly identity: ProcessIdentity,
    private readonly child: ChildProcess,
  ) {
    this.events.setMaxListeners(0);
    // A process that exits without reading its input (EPIPE) is reported by its exit status.
    child.stdin?.on('error', () => undefined);
    this.collect('stdout');
    this.collect('stderr');
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exitStatus = { code, signal };
        this.events.emit('exit', this.exitStatus);
        resolve(this.exitStatus);
      });
    });
  }

  get pid(): number {
    return this.identity.pid;
  }

  get exitStatusIfExited(): ExitStatus | undefined {
    return this.exitStatus;
  }

  get stdin(): NodeJS.WritableStream | null {
    return this.child.stdin;
  }

  output(stream?: 'stdout' | 'stderr'): string {
    return this.lines
      .filter((line) => stream === undefined || line.stream === stream)
      .map((line) => `${line.text}\n`)
      .join('');
  }

  /** Calls `listener` for every line from now on; returns a function that stops it. */
  onLine(listener: (line: OutputLine) => void): () => void {
    this.events.on('line', listener);
    return () => this.events.off('line', listener);
  }

  /** Resolves with the first line (already seen or yet to come) that matches. */
  waitForLine(match: string | RegExp, timeoutMs: number): Promise<string> {
    const matches = (text: string) =>
      typeof match === 'string' ? text.includes(match) : match.test(text);
    const seen = this.lines.find((line) => matches(line.text));
    if (seen) return Promise.resolve(seen.text);
    return this.waitFor<string>(timeoutMs, `a line matching ${String(match)}`, (done, fail) => {
      const onLine = (line: OutputLine) => {
        if (matches(line.text)) done(line.text);
      };
      const onExit = (status: ExitStatus) => fail(`it exited (${describeExit(status)}) first`);
      this.events.on('line', onLine);
      this.events.on('exit', onExit);
      return () => {
        this.events.off('line', onLine);
        this.events.off('exit', onExit);
      };
    });
  }

  waitForExit(timeoutMs: number): Promise<ExitStatus> {
    if (this.exitStatus) return Promise.resolve(this.exitStatus);
    return this.waitFor<ExitStatus>(timeoutMs, 'its exit', (done) => {
      this.events.on('exit', done);
      return () => this.events.off('exit', done);
    });
  }

  /** Signals the process unless its pid has been recycled since it exited. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exitStatus) return false;
    return signalIdentity(this.identity, signal);
  }

  private waitFor<T>(
    timeoutMs: number,
    what: string,
    listen: (done: (value: T) => void, fail: (why: string) => void) => () => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        unlisten();
      };
      const fail = (why: string) => {
        finish();
        const tail = this.lines.slice(-10).map((line) => `  ${line.stream}: ${line.text}`);
        reject(new Error([`${this.describe()}: waited for ${what}: ${why}`, ...tail].join('\n')));
      };
      const timer = setTimeout(() => fail(`none within ${timeoutMs} ms`), timeoutMs);
      const unlisten = listen((value) => {
        finish();
        resolve(value);
      }, fail);
    });
  }

  private describe(): string {
    return `${this.host}: pid ${this.pid} (${this.argv.join(' ')})`;
  }

  private collect(stream: 'stdout' | 'stderr'): void {
    const source = this.child[stream];
    if (!source) return;
    let partial = '';
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) this.push({ stream, text });
    });
    source.on('end', () => {
      if (partial) this.push({ stream, text: partial });
      partial = '';
    });
  }

  private push(line: OutputLine): void {
    this.lines.push(line);
    this.events.emit('line', line);
  }
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `exit ${status.code}`;
}
