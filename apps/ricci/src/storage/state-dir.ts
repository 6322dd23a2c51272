import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { StateDirLockedError } from './storage-errors.js';

export const DEFAULT_STATE_DIR = '/var/lib/quorate';

/** The state directory: `QUORATE_STATE_DIR` when set, else `/var/lib/quorate` (DESIGN.md §4). */
export function stateDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.QUORATE_STATE_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_STATE_DIR;
}

/** Creates the directory if needed and makes it private to its owner (0700). */
export function ensurePrivateDir(dir: string): void {
  makeDirs(dir);
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

/**
 * `mkdir -p` by hand: Node's recursive mkdirSync spins forever where mkdir keeps answering
 * ENOENT for an existing parent (under /proc, for one), and a daemon must fail instead.
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    makeDirs(dirname(dir));
    mkdirSync(dir, { mode: 0o700 });
  }
}

/** Makes a rename or a new file in `dir` durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const LOCK_FILE = 'agent.lock';

interface LockHolder {
  readonly pid: number;
  /** The holder's start time from /proc, so a recycled pid does not look like the holder. */
  readonly startTicks: string | null;
}

/** Held for the agent's lifetime; `release()` on a clean exit, the pid check after a SIGKILL. */
export interface StateDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the state directory for this process. A lock left by a process that no longer runs
 * (SIGKILL, power loss) is taken over; one whose holder still runs is refused.
 */
export function lockStateDir(dir: string): StateDirLock {
  const path = join(dir, LOCK_FILE);
  const self: LockHolder = { pid: process.pid, startTicks: processStartTicks(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(self));
      fsyncSync(fd);
      closeSync(fd);
      return { path, release: () => unlinkSync(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder && isRunning(holder)) throw new StateDirLockedError(dir, holder.pid);
    unlinkSync(path);
  }
  throw new StateDirLockedError(dir, readHolder(path)?.pid ?? -1);
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { pid, startTicks } = parsed as Record<string, unknown>;
    if (typeof pid !== 'number') return null;
    return { pid, startTicks: typeof startTicks === 'string' ? startTicks : null };
  } catch {
    // An empty or half-written lock file: its writer died before finishing it.
    return null;
  }
}

function isRunning(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const startTicks = processStartTicks(holder.pid);
  return holder.startTicks === null || startTicks === null || startTicks === holder.startTicks;
}

/** Field 22 of /proc/PID/stat: the process start time in clock ticks since boot. */
function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
