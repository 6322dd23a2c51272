// Runs one agent process: argv only (never a shell), its own process group so that a timeout
// kills everything it started, stdin fed and closed, output bounded.
import { spawn } from 'node:child_process';
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
}

export interface ProcessResult {
  /** The exit code, or undefined when a signal ended the process or it could not start. */
  readonly exitCode: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  readonly timedOut: boolean;
  /** Why the process could not start (ENOENT, EACCES, …). */
  readonly spawnError: string | undefined;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncatedBytes: { readonly stdout: number; readonly stderr: number };
}

export const defaultKillGraceMs = 2_000;
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

export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const startedAt = performance.now();
  const limit = request.outputLimitBytes ?? defaultOutputLimitBytes;
  const stdout = new BoundedOutput(limit);
  const stderr = new BoundedOutput(limit);
  return new Promise((resolve) => {
    const child = spawn(request.command, [...request.args], {
      env: { ...request.env },
      cwd: request.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let timedOut = false;
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
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        exitCode: code ?? undefined,
        signal: signal ?? undefined,
        timedOut,
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
      const drained = setTimeout(() => finish(code, signal), drainAfterExitMs);
      timers.push(drained);
      // Whatever the agent left running in its group dies with it at a timeout only.
      if (timedOut && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    });
    if (child.pid === undefined) return;
    const pid = child.pid;
    timers.push(
      setTimeout(() => {
        timedOut = true;
        signalGroup(pid, 'SIGTERM');
        timers.push(
          setTimeout(() => signalGroup(pid, 'SIGKILL'), request.killGraceMs ?? defaultKillGraceMs),
        );
      }, request.timeoutMs),
    );
  });
}
