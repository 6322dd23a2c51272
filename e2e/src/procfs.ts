// Process identity and namespace membership read from /proc. A pid alone is never enough to kill:
// a recorded process is identified by pid plus start time (clock ticks since boot), which a
// recycled pid cannot share.
import { readdirSync, readFileSync, statSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: the start time in clock ticks after boot. */
  startTime: number;
}

interface ProcStat {
  state: string;
  startTime: number;
}

function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = Number(fields[19]);
  if (state === undefined || !Number.isFinite(startTime)) return undefined;
  return { state, startTime };
}

export function readStartTime(pid: number): number | undefined {
  return readProcStat(pid)?.startTime;
}

/** True while the very process that was recorded still runs (a zombie counts as gone). */
export function isRunning(identity: ProcessIdentity): boolean {
  const stat = readProcStat(identity.pid);
  return stat !== undefined && stat.startTime === identity.startTime && stat.state !== 'Z';
}

export function readComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A namespace is identified by the device and inode of its nsfs file. */
export interface NamespaceId {
  dev: number;
  ino: number;
}

export function namespaceIdOf(path: string): NamespaceId | undefined {
  try {
    const stat = statSync(path);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return undefined;
  }
}

function sameNamespace(a: NamespaceId, b: NamespaceId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Every live process whose net or mount namespace is one of `namespaces`. */
export function processesInNamespaces(namespaces: readonly NamespaceId[]): ProcessIdentity[] {
  if (namespaces.length === 0) return [];
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const inside = ['net', 'mnt'].some((kind) => {
      const id = namespaceIdOf(`/proc/${pid}/ns/${kind}`);
      return id !== undefined && namespaces.some((ns) => sameNamespace(ns, id));
    });
    if (!inside) continue;
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z') found.push({ pid, startTime: stat.startTime });
  }
  return found;
}

/** Sends `signal` only if the pid still belongs to the recorded process. */
export function signalIdentity(identity: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isRunning(identity)) return false;
  try {
    process.kill(identity.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves once none of `identities` runs, or rejects after `timeoutMs`. Processes that are not
 * our children give no exit event, so this polls /proc at a short interval.
 */
export async function waitUntilGone(
  identities: readonly ProcessIdentity[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let alive = identities.filter(isRunning);
  while (alive.length > 0) {
    if (Date.now() > deadline) {
      const pids = alive.map((p) => p.pid).join(', ');
      throw new Error(`processes still running after ${timeoutMs} ms: ${pids}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    alive = alive.filter(isRunning);
  }
}

/**
 * SIGKILLs what `find` returns until it returns nothing: a process may fork between the scan and
 * its kill, so the scan repeats (a few rounds at most). Returns the pids that were signalled.
 */
export async function killUntilNone(
  find: () => ProcessIdentity[],
  timeoutMs = 5_000,
): Promise<number[]> {
  const killed: number[] = [];
  for (let round = 0; round < 5; round++) {
    const alive = find();
    if (alive.length === 0) return killed;
    for (const identity of alive) {
      if (signalIdentity(identity, 'SIGKILL')) killed.push(identity.pid);
    }
    await waitUntilGone(alive, timeoutMs);
  }
  const left = find();
  if (left.length > 0)
    throw new Error(`processes keep appearing: ${left.map((p) => p.pid).join(', ')}`);
  return killed;
}

export interface MountEntry {
  mountPoint: string;
  fsType: string;
}

/** The mounts of a mount namespace, as seen through a process in it (default: ourselves). */
export function readMounts(pid: number | 'self' = 'self'): MountEntry[] {
  const text = readFileSync(`/proc/${pid}/mountinfo`, 'utf8');
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [left, right] = line.split(' - ');
    const mountPoint = left?.split(' ')[4];
    const fsType = right?.split(' ')[0];
    if (mountPoint === undefined || fsType === undefined) continue;
    entries.push({ mountPoint: unescapeMountPath(mountPoint), fsType });
  }
  return entries;
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}
