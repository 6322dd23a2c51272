// Runs one agent process: argv only (never a shell), its own process group so that a timeout
// kills everything it started, stdin fed and closed, output bounded.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { BoundedOutput, defaultOutputLimitBytes } from './bounded-output.js';

export interface ProcessRequest {
  readonly command: string;
  readonly args: readonly string[];
  /** The whole environment: nothing is inherited that is not listed here. */
  readonly env: Readonly<Record<string, string>>;
  /** Written to stdin, which is then closed. */
  readonly input?: string;
  readonly cwd?: string;
  /** After this the process group gets SIGTERM, then SIGKILL `killGraceMs` later. */
  readonly timeoutMs: number;
  readonly killGraceMs?: number;
  readonly outputLimitBytes?: number;
  /** Aborting ends the run as a timeout does (SIGTERM to the group, SIGKILL after the grace). */
  readonly signal?: AbortSignal;
  /** The process's nice value (what it forks inherits it), for work nobody waits on. */
  readonly niceness?: number;
}

export interface ProcessResult {
  /** The exit code, or undefined when a signal ended the process or it could not start. */
  readonly exitCode: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  readonly timedOut: boolean;
  /** The caller aborted the run (`signal`) before it ended. */
  readonly cancelled: boolean;
  /** Why the process could not start (ENOENT, EACCES, …). */
  readonly spawnError: string | undefined;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncatedBytes: { readonly stdout: number; readonly stderr: number };
}

export const defaultKillGraceMs = 2_000;
/** Background work yields the CPU to the agent's own timers and to services' operations. */
export const BACKGROUND_NICENESS = 19;
/**
 * How long output may keep flowing after the agent exited. A daemon the agent started can
 * hold the pipes open forever; what it prints afterwards is not the agent's output.
 */
const drainAfterExitMs = 100;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function lowerPriority(pid: number, niceness: number): void {
  try {
    setPriority(pid, niceness);
  } catch {
    // It exited already, or this system refuses: it runs at the daemon's priority.
  }
}

export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const startedAt = performance.now();
  const limit = request.outputLimitBytes ?? defaultOutputLimitBytes;
  const stdout = new BoundedOutput(limit);
  const stderr = new BoundedOutput(limit);
  if (request.signal?.aborted) return Promise.resolve(notRun());
  return new Promise((resolve) => {
    const child = spawn(request.command, [...request.args], {
      env: { ...request.env },
      cwd: request.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    if (request.niceness !== undefined && child.pid !== undefined)
      lowerPriority(child.pid, request.niceness);
    let timedOut = false;
    let cancelled = false;
    /** The agent exited: a timeout or abort while its output drains changes nothing. */
    let exited = false;
    let spawnError: string | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.input ?? '');

    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      request.signal?.removeEventListener('abort', cancel);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        exitCode: code ?? undefined,
        signal: signal ?? undefined,
        timedOut,
        cancelled,
        spawnError,
        durationMs: Math.round(performance.now() - startedAt),
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncatedBytes: { stdout: stdout.truncatedBytes, stderr: stderr.truncatedBytes },
      });
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = `${error.code ?? 'error'}: ${error.message}`;
      finish(null, null);
    });
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      exited = true;
      // The timer may fire in the same loop turn as the exit when the machine is loaded (the loop
      // clock jumped), before the poll phase has read what already sits in the pipes: finishing
      // from setImmediate lets one poll phase run first.
      const drained = setTimeout(() => setImmediate(() => finish(code, signal)), drainAfterExitMs);
      timers.push(drained);
      // Whatever the agent left running in its group dies with it at a timeout or abort only.
      if ((timedOut || cancelled) && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    });
    const pid = child.pid;
    function terminate(): void {
      if (pid === undefined || settled || exited) return;
      signalGroup(pid, 'SIGTERM');
      timers.push(
        setTimeout(() => signalGroup(pid, 'SIGKILL'), request.killGraceMs ?? defaultKillGraceMs),
      );
    }
    function cancel(): void {
      if (timedOut || cancelled || exited) return;
      cancelled = true;
      terminate();
    }
    if (pid === undefined) return;
    request.signal?.addEventListener('abort', cancel, { once: true });
    timers.push(
      setTimeout(() => {
        if (cancelled || exited) return;
        timedOut = true;
        terminate();
      }, request.timeoutMs),
    );
  });
}

/** The result of a run aborted before it started. */
function notRun(): ProcessResult {
  return {
    exitCode: undefined,
    signal: undefined,
    timedOut: false,
    cancelled: true,
    spawnError: undefined,
    durationMs: 0,
    stdout: '',
    stderr: '',
    truncatedBytes: { stdout: 0, stderr: 0 },
  };
}
