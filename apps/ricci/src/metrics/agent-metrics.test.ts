// The agent's metrics from the events it logs, checked through a Prometheus text-format parser
// (parse-prometheus-text-format 1.1.1), and served over HTTP.
import { get } from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { AgentMetrics } from './agent-metrics.js';
import { parseListenAddress, serveMetrics } from './metrics-server.js';

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

function family(text: string, name: string): Family {
  const found = parsePrometheusTextFormat(text).find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in:\n${text}`);
  return found;
}

/** The value of the sample of `name` whose labels include `labels`. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const sample = family(text, name).metrics.find((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
  );
  return Number(sample?.value ?? Number.NaN);
}

const started = (owner: string) => ({
  service: 'service:web',
  state: 'started',
  owner,
  partial: false,
});

describe('AgentMetrics', () => {
  it('shows quorum, membership and the leader as the agent logs them', () => {
    const metrics = new AgentMetrics('node1', '0.1.0', 1_700_000_000_000);
    expect(value(metrics.text(), 'quorate_quorate')).toBe(0);
    metrics.observe('quorum-changed', { quorate: true, votes: 3, expectedVotes: 3, quorum: 2 });
    metrics.observe('membership-changed', {
      members: ['node1', 'node2', 'node3'],
      lost: [],
      joined: ['node2', 'node3'],
    });
    metrics.observe('leader-changed', { leader: 'node2', term: 4 });
    metrics.observe('membership-changed', { members: ['node1', 'node2'], lost: ['node3'] });
    const text = metrics.text();
    expect(value(text, 'quorate_quorate')).toBe(1);
    expect(value(text, 'quorate_quorum_votes')).toBe(2);
    expect(value(text, 'quorate_member', { node: 'node3' })).toBe(0);
    expect(value(text, 'quorate_member', { node: 'node2' })).toBe(1);
    expect(value(text, 'quorate_leader', { node: 'node2' })).toBe(1);
    expect(value(text, 'quorate_term')).toBe(4);
    expect(value(text, 'quorate_membership_changes_total')).toBe(2);
    expect(value(text, 'quorate_agent_info', { node: 'node1', version: '0.1.0' })).toBe(1);
  });

  it('counts a failover: started elsewhere after recovering, not a restart in place', () => {
    const metrics = new AgentMetrics('node1', '0.1.0', 0);
    metrics.observe('service-state-changed', started('node1'));
    // A restart on the same node is no failover.
    metrics.observe('service-state-changed', { ...started('node1'), state: 'recovering' });
    metrics.observe('service-state-changed', started('node1'));
    expect(value(metrics.text(), 'quorate_service_state', { state: 'started' })).toBe(1);
    expect(
      () => family(metrics.text(), 'quorate_service_failovers_total').metrics[0],
    ).not.toThrow();
    expect(family(metrics.text(), 'quorate_service_failovers_total').metrics).toEqual([]);
    metrics.observe('service-state-changed', { ...started('node1'), state: 'recovering' });
    metrics.observe('service-state-changed', { ...started('node2'), state: 'starting' });
    metrics.observe('service-state-changed', started('node2'));
    // A relocation is not a failover; the loss of the owner is.
    metrics.observe('service-state-changed', { ...started('node3'), state: 'starting' });
    metrics.observe('service-state-changed', started('node3'));
    metrics.observe('membership-changed', { members: ['node1'], lost: ['node3'], left: [] });
    metrics.observe('service-state-changed', { ...started('node2'), state: 'starting' });
    metrics.observe('service-state-changed', started('node2'));
    const text = metrics.text();
    expect(value(text, 'quorate_service_failovers_total', { service: 'service:web' })).toBe(2);
    expect(value(text, 'quorate_service_owner', { node: 'node2' })).toBe(1);
    // One state and one owner per service: the old ones are gone.
    expect(family(text, 'quorate_service_state').metrics).toHaveLength(1);
    expect(family(text, 'quorate_service_owner').metrics).toHaveLength(1);
  });

  it('records fence runs and agent operation durations as histograms', () => {
    const metrics = new AgentMetrics('node1', '0.1.0', 0);
    const fence = { victim: 'node3', agent: 'fence_demo', action: 'reboot', durationMs: 40 };
    metrics.observe('fence-op-finished', { ...fence, ok: true });
    metrics.observe('fence-op-finished', { ...fence, ok: false, durationMs: 2000 });
    metrics.observe('fence-succeeded', { victim: 'node3', method: '1', incarnation: 2 });
    const op = { type: 'script', action: 'start', code: 0 };
    metrics.observe('agent-op-finished', { ...op, durationMs: 30 });
    metrics.observe('agent-op-finished', { ...op, durationMs: 700 });
    const text = metrics.text();
    expect(value(text, 'quorate_fence_operations_total', { result: 'success' })).toBe(1);
    expect(value(text, 'quorate_fence_operations_total', { result: 'failure' })).toBe(1);
    expect(value(text, 'quorate_fences_total', { victim: 'node3', result: 'success' })).toBe(1);
    // The parser accepts the histogram but folds labelled series into one bucket map (it keeps
    // no labels, sum or count for them), so the series' own lines are read as well.
    const durations = family(text, 'quorate_agent_operation_duration_seconds');
    expect(durations.type).toBe('HISTOGRAM');
    expect(durations.metrics[0]?.buckets).toMatchObject({ '0.05': '1', '1': '2', '+Inf': '2' });
    const series = 'type="script",action="start",code="0"';
    expect(text).toContain(`quorate_agent_operation_duration_seconds_count{${series}} 2\n`);
    expect(text).toContain(`quorate_agent_operation_duration_seconds_sum{${series}} 0.73\n`);
    expect(text).toContain(
      `quorate_agent_operation_duration_seconds_bucket{${series},le="0.05"} 1\n`,
    );
    expect(family(text, 'quorate_fence_operation_duration_seconds').type).toBe('HISTOGRAM');
  });

  it('escapes label values so that any service name parses', () => {
    const metrics = new AgentMetrics('node1', '0.1.0', 0);
    const service = 'service:a "quoted" \\ name\nwith a line break';
    metrics.observe('service-state-changed', { ...started('node1'), service });
    const parsed = family(metrics.text(), 'quorate_service_state').metrics[0];
    expect(parsed?.labels?.service).toBe(service);
  });

  it('serves /metrics over HTTP and refuses other paths', async () => {
    const metrics = new AgentMetrics('node1', '0.1.0', 0);
    const server = await serveMetrics('127.0.0.1', 0, () => metrics.text());
    const fetch = (path: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        get(`http://127.0.0.1:${server.port}${path}`, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              type: String(response.headers['content-type']),
              body,
            }),
          );
        }).on('error', reject);
      });
    try {
      const page = await fetch('/metrics');
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(value(page.body, 'quorate_quorate')).toBe(0);
      expect((await fetch('/')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('reads --metrics-listen as HOST:PORT and names the rule otherwise', () => {
    expect(parseListenAddress('127.0.0.1:9111')).toEqual({ host: '127.0.0.1', port: 9111 });
    expect(parseListenAddress('[::1]:9111')).toEqual({ host: '::1', port: 9111 });
    expect(() => parseListenAddress('9111')).toThrow(/--metrics-listen: "9111" is not HOST:PORT/);
    expect(() => parseListenAddress('h:70000')).toThrow(/is not HOST:PORT/);
  });
});
