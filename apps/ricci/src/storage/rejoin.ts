import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HardState } from '@quorate/core';
import { persistRecordSchema } from '@quorate/protocol';
import { DurableLog, LOG_FILE } from './durable-log.js';
import { scanFrames } from './record-frame.js';
import { fsyncDir } from './state-dir.js';

/** What `ricci --rejoin` did to the state directory. */
export interface RejoinWipe {
  /** Names removed from the state directory. */
  readonly removed: readonly string[];
  /** The term, vote and incarnation carried over, or null when none could be read. */
  readonly kept: HardState | null;
}

/**
 * Wipes a node's consensus state so that it catches up from the cluster (`ricci --rejoin`),
 * keeping the names in `keep` (its TLS material and the lock the caller holds). Everything
 * the node logged or committed goes; its term, vote and incarnation stay, read from the intact
 * records of the old log however damaged its tail is: forgetting a vote could elect two
 * leaders in one term, and an incarnation that went back would hide the restart from peers.
 */
export function wipeForRejoin(stateDir: string, keep: readonly string[]): RejoinWipe {
  const last = lastHardState(join(stateDir, LOG_FILE));
  const removed = readdirSync(stateDir).filter((name) => !keep.includes(name));
  for (const name of removed) rmSync(join(stateDir, name), { recursive: true, force: true });
  fsyncDir(stateDir);
  const kept = last && { ...last, commit: 0 };
  if (kept) {
    const log = DurableLog.open(stateDir);
    try {
      log.append([{ kind: 'hard-state', state: kept }]);
    } finally {
      log.close();
    }
  }
  return { removed, kept };
}

/** The newest hard state among the records before the first damaged one; null for none. */
function lastHardState(path: string): HardState | null {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return null;
  }
  let found: HardState | null = null;
  for (const { payload } of scanFrames(data).payloads) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      return found;
    }
    const record = persistRecordSchema.safeParse(parsed);
    if (!record.success) return found;
    if (record.data.kind === 'hard-state') found = record.data.state;
  }
  return found;
}
