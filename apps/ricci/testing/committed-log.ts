// Test helper: the controller commands a node's write-ahead log holds as committed, read from its
// state folder as the agent itself reads it on start (frames, records, the log image), so a test
// can check what the cluster decided and in which order: a fence before a recovery.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE } from '../src/storage/durable-log.js';
import { LogImage, type StoredRecord } from '../src/storage/log-image.js';
import { scanFrames } from '../src/storage/record-frame.js';

export interface CommittedCommand {
  readonly index: number;
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A service record inside a `services` command. */
export interface ServiceRecord {
  readonly id: string;
  readonly state: string;
  readonly owner?: string;
}

/**
 * The committed `command` entries of the log in `stateDir`, oldest first (those a snapshot
 * covers are gone). A tail the agent is writing right now is cut off as the agent would.
 */
export function committedCommands(stateDir: string): CommittedCommand[] {
  const scan = scanFrames(readFileSync(join(stateDir, LOG_FILE)));
  if (scan.corruption)
    throw new Error(`${stateDir}: ${scan.corruption.rule} at ${scan.corruption.offset}`);
  const image = new LogImage();
  for (const { payload } of scan.payloads) {
    const broken = image.apply(JSON.parse(payload.toString('utf8')) as StoredRecord);
    if (broken) throw new Error(`${stateDir}: ${broken}`);
  }
  const commit = image.hardState?.commit ?? 0;
  return image.entries
    .filter((entry) => entry.index <= commit && entry.kind === 'command')
    .map((entry) => ({ ...(JSON.parse(entry.data) as { type: string }), index: entry.index }));
}

/** The service records a committed command sets, if it is a `services` command. */
export function serviceRecords(command: CommittedCommand): ServiceRecord[] {
  return command.type === 'services' ? (command.records as ServiceRecord[]) : [];
}
