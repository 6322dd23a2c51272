// The failover benchmark's arithmetic and words: its options, the scenarios it runs, the summary
// of each measured quantity (median, min, max) and the short table it prints. No I/O here.

/** The scenarios, as peers/README.md names its own (pcmk-move, pcmk-kill, pcmk-kill-dc). */
export const FAILOVER_SCENARIOS = [
  'relocate-owner-follower',
  'relocate-owner-leader',
  'power-off-owner-follower',
  'power-off-owner-leader',
] as const;
export type FailoverScenario = (typeof FAILOVER_SCENARIOS)[number];

export interface FailoverOptions {
  readonly runs: number;
  readonly tokenMs: readonly number[];
  readonly scenarios: readonly FailoverScenario[];
  readonly idleSeconds: number;
  readonly jsonFile: string | undefined;
  readonly logsDir: string | undefined;
  /** Where the page comes from (failover-cluster.ts `PageServer`). */
  readonly pageServer: 'node' | 'service';
  /** An agent archive to run instead of bin/ (pins the build for the whole run). */
  readonly bundle: string | undefined;
}

export interface FailoverArgs {
  readonly runs?: string | undefined;
  readonly 'token-ms'?: string | undefined;
  readonly scenarios?: string | undefined;
  readonly 'idle-seconds'?: string | undefined;
  readonly json?: string | undefined;
  readonly logs?: string | undefined;
  readonly 'page-server'?: string | undefined;
  readonly bundle?: string | undefined;
}

function positiveInteger(field: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    throw new Error(`--${field}: "${text}" must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** Checks the command line's values; each bad one gets an error naming the option and the rule. */
export function parseFailoverOptions(args: FailoverArgs): FailoverOptions {
  const tokens = (args['token-ms'] ?? '1000,300').split(',');
  const scenarioNames = args.scenarios?.split(',') ?? [...FAILOVER_SCENARIOS];
  for (const name of scenarioNames) {
    if (!(FAILOVER_SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`--scenarios: "${name}" is not one of ${FAILOVER_SCENARIOS.join(', ')}`);
    }
  }
  const pageServer = args['page-server'] ?? 'node';
  if (pageServer !== 'node' && pageServer !== 'service') {
    throw new Error(`--page-server: "${pageServer}" is not node or service`);
  }
  return {
    runs: positiveInteger('runs', args.runs ?? '10', 1000),
    tokenMs: tokens.map((token) => positiveInteger('token-ms', token.trim(), 60_000)),
    scenarios: scenarioNames as FailoverScenario[],
    idleSeconds: positiveInteger('idle-seconds', args['idle-seconds'] ?? '30', 3600),
    jsonFile: args.json,
    logsDir: args.logs,
    pageServer,
    bundle: args.bundle,
  };
}

/** Milliseconds from the trigger, or null when it never happened within the run's wait. */
export type Measured = number | null;

export interface Summary {
  readonly n: number;
  readonly failed: number;
  readonly minMs?: number;
  readonly medianMs?: number;
  readonly maxMs?: number;
}

/** The median (the mean of the middle two for an even count), min and max of what happened. */
export function summarize(values: readonly Measured[]): Summary {
  const got = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const failed = values.length - got.length;
  if (got.length === 0) return { n: 0, failed };
  const middle = Math.floor(got.length / 2);
  const median =
    got.length % 2 === 1
      ? (got[middle] as number)
      : ((got[middle - 1] as number) + (got[middle] as number)) / 2;
  return {
    n: got.length,
    failed,
    minMs: got[0] as number,
    medianMs: Math.round(median * 10) / 10,
    maxMs: got[got.length - 1] as number,
  };
}

export interface SummaryRow {
  readonly tokenMs: number;
  readonly scenario: string;
  readonly metric: string;
  readonly summary: Summary;
}

/** A plain text table, one line per token, scenario and metric, times in seconds as peers print. */
export function formatTable(rows: readonly SummaryRow[]): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(3));
  const header = ['token ms', 'scenario', 'metric', 'n', 'failed', 'min s', 'median s', 'max s'];
  const lines = rows.map((row) => [
    String(row.tokenMs),
    row.scenario,
    row.metric,
    String(row.summary.n),
    String(row.summary.failed),
    seconds(row.summary.minMs),
    seconds(row.summary.medianMs),
    seconds(row.summary.maxMs),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((l) => l[i]?.length ?? 0)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(header), ...lines.map(render)].join('\n');
}
