import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './prometheus-text.js';

describe('the Prometheus text format', () => {
  it('writes HELP, TYPE and samples, escaping help text and label values', () => {
    const registry = new MetricsRegistry();
    registry.gauge('up', 'Line one\nline two \\ end').set({ node: 'a"b\\c\nd' }, 1);
    registry.counter('runs_total', 'Runs.').inc({}, 2);
    const histogram = registry.histogram('took_seconds', 'Took.', [0.1, 1]);
    histogram.observe({ kind: 'x' }, 0.5);
    expect(registry.text()).toBe(
      [
        '# HELP up Line one\\nline two \\\\ end',
        '# TYPE up gauge',
        'up{node="a\\"b\\\\c\\nd"} 1',
        '# HELP runs_total Runs.',
        '# TYPE runs_total counter',
        'runs_total 2',
        '# HELP took_seconds Took.',
        '# TYPE took_seconds histogram',
        'took_seconds_bucket{kind="x",le="0.1"} 0',
        'took_seconds_bucket{kind="x",le="1"} 1',
        'took_seconds_bucket{kind="x",le="+Inf"} 1',
        'took_seconds_sum{kind="x"} 0.5',
        'took_seconds_count{kind="x"} 1',
        '',
      ].join('\n'),
    );
  });

  it('refuses names, labels and values the format cannot carry, naming the rule', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.gauge('9lives', 'x')).toThrow(
      'metric 9lives: not a Prometheus metric name',
    );
    expect(() => registry.counter('runs', 'x')).toThrow(
      "metric runs: a counter's name ends in _total",
    );
    registry.gauge('g', 'x');
    expect(() => registry.gauge('g', 'x')).toThrow('metric g: registered twice');
    const counter = registry.counter('c_total', 'x');
    expect(() => counter.inc({}, -1)).toThrow(
      'metric c_total: a counter grows by 0 or more, not -1',
    );
    expect(() => counter.inc({ 'bad-name': 'v' })).toThrow(
      'label bad-name is not a Prometheus label name',
    );
    expect(() => registry.histogram('h', 'x', [1, 1])).toThrow(
      'metric h: bucket bounds must increase',
    );
  });
});
