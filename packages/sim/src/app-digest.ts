import type { LogEntry } from '@quorate/core';

/**
 * The simulated hosts' state machine: a running FNV-1a hash over every applied entry. It is
 * what a snapshot carries as `appState`, so a snapshot taken or shipped at the wrong index,
 * or missing an entry, shows up as a different number.
 */
export function chainDigest(previous: number, entry: LogEntry): number {
  let hash = previous ^ 0x811c9dc5;
  const text = `${entry.index}|${entry.term}|${entry.kind}|${entry.data}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
