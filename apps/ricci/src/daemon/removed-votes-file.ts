// What `cman_tool leave remove` took from this node, kept in its state folder until the votes
// are given back (RHCS counted a returning node's votes again; here they live in the committed
// cluster.conf, so the node asks for them back when it returns).
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { RemovedVotes } from '@quorate/core';

export const REMOVED_VOTES_FILE = 'removed-votes.json';

/** The record in `stateDir`, or null when there is none. A damaged record is an error. */
export function readRemovedVotes(stateDir: string): RemovedVotes | null {
  const path = join(stateDir, REMOVED_VOTES_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value: unknown = JSON.parse(text);
  if (!isRemovedVotes(value)) {
    throw new Error(`${path}: needs node (a name), votes and expectedLoweredBy (integers ≥ 0)`);
  }
  return value;
}

/** Written whole (a temporary file renamed over it), private to root (0600). */
export function writeRemovedVotes(stateDir: string, removed: RemovedVotes): void {
  const path = join(stateDir, REMOVED_VOTES_FILE);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(removed)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export function clearRemovedVotes(stateDir: string): void {
  rmSync(join(stateDir, REMOVED_VOTES_FILE), { force: true });
}

function isRemovedVotes(value: unknown): value is RemovedVotes {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  return (
    typeof record.node === 'string' &&
    record.node !== '' &&
    count(record.votes) &&
    count(record.expectedLoweredBy)
  );
}
