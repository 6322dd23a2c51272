// What the executor logs: the daemon's JSON-lines logger has this shape (daemon/json-log.ts), and
// tests pass a recorder. An agent's output is logged line by line, each line and the number of
// lines bounded, so a chatty or hostile agent cannot flood the log.

export type ExecutorLogLevel = 'debug' | 'info' | 'warn' | 'error';

export type ExecutorLog = (
  level: ExecutorLogLevel,
  event: string,
  fields?: Record<string, unknown>,
) => void;

export interface OutputLogLimits {
  /** Characters kept of one line; the rest is replaced by a marker. */
  readonly lineChars: number;
  /** Lines logged per stream of one run; a last entry says how many more there were. */
  readonly lines: number;
}

export const defaultOutputLogLimits: OutputLogLimits = { lineChars: 1000, lines: 100 };

/** The lines of an agent's output as they go to the log (empty lines dropped). */
export function boundedOutputLines(text: string, limits: OutputLogLimits): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const kept = lines.slice(0, limits.lines).map((line) => {
    if (line.length <= limits.lineChars) return line;
    return `${line.slice(0, limits.lineChars)} [${line.length - limits.lineChars} more characters]`;
  });
  if (lines.length > limits.lines) kept.push(`[${lines.length - limits.lines} more lines]`);
  return kept;
}

/** Logs each output line of one run as its own `agent-output` event. */
export function logOutput(
  log: ExecutorLog,
  level: ExecutorLogLevel,
  opId: string,
  streams: { readonly stdout: string; readonly stderr: string },
  limits: OutputLogLimits,
): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    for (const line of boundedOutputLines(streams[stream], limits)) {
      log(level, 'agent-output', { opId, stream, line });
    }
  }
}
