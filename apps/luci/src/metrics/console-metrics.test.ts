/// <reference path="../../../ricci/testing/prometheus-parser.d.ts" />
// The console's /metrics, read with a Prometheus text-format parser (parse-prometheus-text-format
// 1.1.1): requests counted by route pattern, accounts, clusters and their link states.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeClusterLinks,
  startTestConsole,
  type TestConsole,
} from '../../testing/test-console.js';

let luci: TestConsole | undefined;
afterEach(() => luci?.close());

function sample(text: string, name: string, labels: Record<string, string> = {}) {
  const family = parsePrometheusTextFormat(text).find((f) => f.name === name);
  return family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

describe('the console’s /metrics', () => {
  it('answers anyone in the Prometheus text format, with counts and link states only', async () => {
    luci = await startTestConsole(fakeClusterLinks());
    const admin = await luci.asAdmin();
    const added = await admin.call('POST', '/api/clusters', {
      address: '192.0.2.1',
      agentPassword: 'agent secret',
    });
    expect(added.statusCode).toBe(201);
    await admin.call('PATCH', '/api/users/nobody-here', { admin: false });
    const response = await luci.browser().call('GET', '/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = response.body;
    expect(sample(text, 'quorate_console_users')?.value).toBe('1');
    expect(sample(text, 'quorate_console_clusters')?.value).toBe('1');
    const link = { cluster: 'webcluster', state: 'connected' };
    expect(sample(text, 'quorate_console_cluster_link', link)?.value).toBe('1');
    const login = { method: 'POST', route: '/api/session', status: '200' };
    expect(sample(text, 'quorate_console_http_requests_total', login)?.value).toBe('1');
    // Routes are labelled by pattern: a user name in a path never becomes a label.
    expect(text).toContain('route="/api/users/:user"');
    expect(text).not.toContain('nobody-here');
    expect(text).not.toContain('agent secret');
  });
});
