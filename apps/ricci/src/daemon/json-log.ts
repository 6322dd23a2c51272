import type { LogLevel } from '../transport/transport-types.js';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * One JSON object per line: time, level, event, node, then the event's own fields. `agent` is
 * always the node that writes the line: an event's own `node` field (the node it is about, as
 * in `node-lost`) takes the `node` key.
 */
export type JsonLog = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * A JSON-lines logger. Callers pass facts, never secrets: keys and passwords are not fields
 * of any event, so nothing here has to guess what to redact.
 */
export function jsonLog(
  node: string,
  minimum: LogLevel,
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): JsonLog {
  const threshold = LOG_LEVELS.indexOf(minimum);
  return (level, event, fields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line = { time: now().toISOString(), level, event, node, ...fields, agent: node };
    write(`${JSON.stringify(line)}\n`);
  };
}
