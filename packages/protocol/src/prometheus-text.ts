// The Prometheus text exposition format (version 0.0.4) that the agent's and the console's
// `/metrics` answer with: gauges, counters and histograms with labels. Written here rather than
// with prom-client: the few lines below are all either process needs, and the agent's single
// executable carries no extra package for them.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Agent operations take milliseconds to minutes: seconds from 5 ms to 5 min. */
export const DURATION_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
] as const;

function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** A stable key for one label set (the order of keys does not matter). */
function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function checkLabels(metric: string, labels: Labels): void {
  for (const name of Object.keys(labels)) {
    if (!labelName.test(name) || name.startsWith('__') || name === 'le') {
      throw new Error(`metric ${metric}: label ${name} is not a Prometheus label name`);
    }
  }
}

abstract class Family {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter' | 'histogram',
  ) {
    if (!metricName.test(name)) throw new Error(`metric ${name}: not a Prometheus metric name`);
  }

  abstract sampleLines(): string[];

  text(): string {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`]
      .concat(this.sampleLines())
      .join('\n');
  }
}

/** A value per label set that goes up and down; `set` and `remove`, or `reset` and set again. */
export class Gauge extends Family {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(labels: Labels, value: number): void {
    checkLabels(this.name, labels);
    this.values.set(keyOf(labels), { labels, value });
  }

  remove(labels: Labels): void {
    this.values.delete(keyOf(labels));
  }

  reset(): void {
    this.values.clear();
  }

  sampleLines(): string[] {
    return [...this.values.values()].map(
      ({ labels, value }) => `${this.name}${labelText(labels)} ${formatValue(value)}`,
    );
  }
}

/** A count per label set that only grows; its name ends in `_total`. */
export class Counter extends Family {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    super(name, help, 'counter');
    if (!name.endsWith('_total'))
      throw new Error(`metric ${name}: a counter's name ends in _total`);
  }

  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`metric ${this.name}: a counter grows by 0 or more, not ${by}`);
    checkLabels(this.name, labels);
    const key = keyOf(labels);
    const value = (this.values.get(key)?.value ?? 0) + by;
    this.values.set(key, { labels, value });
  }

  sampleLines(): string[] {
    return [...this.values.values()].map(
      ({ labels, value }) => `${this.name}${labelText(labels)} ${formatValue(value)}`,
    );
  }
}

/** Observations per label set in cumulative buckets, with their sum and count. */
export class Histogram extends Family {
  private readonly series = new Map<
    string,
    { labels: Labels; buckets: number[]; sum: number; count: number }
  >();

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[] = DURATION_BUCKETS_SECONDS,
  ) {
    super(name, help, 'histogram');
    if (bounds.some((bound, i) => i > 0 && bound <= bounds[i - 1]!)) {
      throw new Error(`metric ${name}: bucket bounds must increase`);
    }
  }

  observe(labels: Labels, value: number): void {
    checkLabels(this.name, labels);
    const key = keyOf(labels);
    const series = this.series.get(key) ?? {
      labels,
      buckets: this.bounds.map(() => 0),
      sum: 0,
      count: 0,
    };
    this.bounds.forEach((bound, i) => {
      if (value <= bound) series.buckets[i]! += 1;
    });
    series.sum += value;
    series.count += 1;
    this.series.set(key, series);
  }

  sampleLines(): string[] {
    return [...this.series.values()].flatMap(({ labels, buckets, sum, count }) => [
      ...this.bounds.map(
        (bound, i) =>
          `${this.name}_bucket${labelText({ ...labels, le: formatValue(bound) })} ${buckets[i]}`,
      ),
      `${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`,
      `${this.name}_sum${labelText(labels)} ${formatValue(sum)}`,
      `${this.name}_count${labelText(labels)} ${count}`,
    ]);
  }
}

/** The families one `/metrics` answers with, in the order they were made. */
export class MetricsRegistry {
  private readonly families: Family[] = [];

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  histogram(name: string, help: string, bounds?: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, bounds));
  }

  /** The exposition text, ending in a line break. */
  text(): string {
    return `${this.families.map((family) => family.text()).join('\n')}\n`;
  }

  private add<T extends Family>(family: T): T {
    if (this.families.some((known) => known.name === family.name)) {
      throw new Error(`metric ${family.name}: registered twice`);
    }
    this.families.push(family);
    return family;
  }
}
