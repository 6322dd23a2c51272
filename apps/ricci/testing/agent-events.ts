// Test helper: the agent's JSON-lines log as events, and waiting for one (synchronised on the
// agent's own output, never on sleeps; the deadline only turns a hang into a readable failure).
import type { HostProcess } from '@quorate/e2e';

export interface LogEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** Every JSON log line the agent has printed so far, in order. */
export function events(agent: HostProcess): LogEvent[] {
  return agent
    .output('stdout')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEvent);
}

/** Resolves with the first event after the first `after` (seen or yet to come) that `match` accepts. */
export function waitForEvent(
  agent: HostProcess,
  match: (event: LogEvent) => boolean,
  after: number,
  waitMs: number,
): Promise<LogEvent> {
  const seen = events(agent).slice(after).find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      const tail = agent.output().slice(-4000);
      reject(new Error(`${agent.host}: no matching event within ${waitMs} ms:\n${tail}`));
    }, waitMs);
    const stop = agent.onLine((line) => {
      if (!line.text.startsWith('{')) return;
      const event = JSON.parse(line.text) as LogEvent;
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}
