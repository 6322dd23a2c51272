import { type AgentLogLine, MAX_CONSOLE_LOG_LINES } from '@quorate/protocol';
import type { JsonLog } from '../daemon/json-log.js';
import type { LogLevel } from '../transport/transport-types.js';

/** Fields longer than this (as JSON) are cut, so one line cannot fill the ring's memory. */
const MAX_FIELDS_JSON = 4096;
const RECORDED: readonly LogLevel[] = ['info', 'warn', 'error'];

/**
 * The agent's newest log lines (info and above), for the console's `logs` request: a ring of
 * at most `capacity` lines, each bounded. The log itself never carries secrets (json-log.ts),
 * so neither does this.
 */
export class LogRing {
  private readonly lines: AgentLogLine[] = [];
  private start = 0;

  constructor(
    private readonly capacity = MAX_CONSOLE_LOG_LINES,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A log that writes to `log` and keeps the line here too. */
  tee(log: JsonLog): JsonLog {
    return (level, event, fields = {}) => {
      log(level, event, fields);
      if (RECORDED.includes(level)) this.add(level, event, fields);
    };
  }

  add(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    const line = { time: this.now().toISOString(), level, event, fields: bounded(fields) };
    if (this.lines.length < this.capacity) this.lines.push(line);
    else {
      this.lines[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest `limit` lines, oldest first. */
  newest(limit = this.capacity): AgentLogLine[] {
    const ordered = [...this.lines.slice(this.start), ...this.lines.slice(0, this.start)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }
}

function bounded(fields: Record<string, unknown>): Record<string, unknown> {
  let json: string;
  try {
    json = JSON.stringify(fields);
  } catch {
    return { truncated: 'fields that are not JSON' };
  }
  if (json.length <= MAX_FIELDS_JSON) return JSON.parse(json) as Record<string, unknown>;
  return { truncated: `${json.slice(0, MAX_FIELDS_JSON)}…` };
}
