import type { ClusterStatus } from '@quorate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster, startWithFakeCluster, type TestConsole } from '../../testing/test-console.js';

let luci: TestConsole | undefined;
afterEach(async () => {
  await luci?.close();
});

const webservice = encodeURIComponent('service:webservice');

/** A console with the fake cluster added; each change to it is 1 s after the last. */
async function withCluster(cluster = new FakeCluster()) {
  const { console, admin } = await startWithFakeCluster(cluster);
  luci = console;
  const change = (step: (status: ClusterStatus) => ClusterStatus) => {
    console.advance(1000);
    cluster.update(step);
  };
  return { admin, cluster, console, change };
}

const failed = (status: ClusterStatus, id: string): ClusterStatus => ({
  ...status,
  services: status.services.map((s) => (s.id === id ? { ...s, state: 'failed' as const } : s)),
});
const startedOn = (status: ClusterStatus, id: string, owner: string): ClusterStatus => ({
  ...status,
  services: status.services.map((s) =>
    s.id === id ? { ...s, state: 'started' as const, owner } : s,
  ),
});

/** node2 powered off (webservice recovers on node3 3 s later), then db fails and restarts. */
async function failoverStory() {
  const cluster = new FakeCluster({
    services: { 'service:webservice': 'node2', 'service:db': 'node1' },
  });
  const setup = await withCluster(cluster);
  setup.console.advance(1000);
  cluster.powerOff('node2');
  setup.console.advance(3000);
  cluster.recover('node2', 'node3');
  setup.change((s) => failed(s, 'service:db'));
  setup.change((s) => startedOn(s, 'service:db', 'node3'));
  return setup;
}

describe('the events timeline', () => {
  it('lists every event newest first, with the node each concerns', async () => {
    const { admin } = await failoverStory();
    const page = (await admin.call('GET', '/api/clusters/webcluster/events')).json();
    expect(page.nextBefore).toBeNull();
    expect(
      page.events.map((e: { message: string; node: string | null }) => [e.message, e.node]),
    ).toEqual([
      ['service:db started on node3 (was on node1)', 'node3'],
      ['service:db is failed on node1', 'node1'],
      ['service:webservice started on node3', 'node3'],
      ['node2 was fenced', 'node2'],
      ['service:webservice is recovering (last on node2)', 'node2'],
      ['Fencing node2: its services recover once the fence succeeds', 'node2'],
      ['node2 is offline', 'node2'],
    ]);
    expect(page.events.map((e: { state: string | null }) => e.state)).toEqual([
      'started',
      'failed',
      'started',
      null,
      'recovering',
      null,
      null,
    ]);
  });

  it('filters by kind, node, service and time, and pages by id', async () => {
    const { admin } = await failoverStory();
    const messages = async (query: string) =>
      (await admin.call('GET', `/api/clusters/webcluster/events?${query}`))
        .json()
        .events.map((e: { message: string }) => e.message);
    expect(await messages('kind=fence,fenced')).toEqual([
      'node2 was fenced',
      'Fencing node2: its services recover once the fence succeeds',
    ]);
    expect(await messages('node=node1')).toEqual([
      'service:db started on node3 (was on node1)',
      'service:db is failed on node1',
    ]);
    expect(await messages(`service=${webservice}`)).toEqual([
      'service:webservice started on node3',
      'service:webservice is recovering (last on node2)',
    ]);
    // powerOff at 08:00:01, recover at :04, db failed at :05 and started at :06.
    const from = '2026-11-27T08:00:04.000Z';
    const to = '2026-11-27T08:00:05.000Z';
    expect(await messages(`from=${from}&to=${to}`)).toEqual([
      'service:db is failed on node1',
      'service:webservice started on node3',
      'node2 was fenced',
    ]);
    const first = (await admin.call('GET', '/api/clusters/webcluster/events?limit=2')).json();
    expect(first.events).toHaveLength(2);
    const next = (
      await admin.call('GET', `/api/clusters/webcluster/events?limit=5&before=${first.nextBefore}`)
    ).json();
    expect(next.events[0].message).toBe('service:webservice started on node3');
    expect(next.nextBefore).toBeNull();
  });

  it('refuses a bad filter naming the field and the rule', async () => {
    const { admin } = await withCluster();
    const bad = async (query: string) =>
      (await admin.call('GET', `/api/clusters/webcluster/events?${query}`)).json().error;
    expect(await bad('kind=member,explosion')).toMatchObject({ code: 'CONSOLE_INVALID_REQUEST' });
    expect((await bad('kind=explosion')).field).toBe('kind.0');
    expect((await bad('from=yesterday')).field).toBe('from');
    const reversed = await bad('from=2026-11-27T09:00:00Z&to=2026-11-27T08:00:00Z');
    expect(reversed.message).toContain('from is after to');
    expect((await bad('limit=0')).field).toBe('limit');
  });

  it('is hidden from a user who may not view the cluster', async () => {
    const { console } = await withCluster();
    const stranger = await console.asUser('stranger');
    const response = await stranger.call('GET', '/api/clusters/webcluster/events');
    expect(response.statusCode).toBe(404);
  });
});

describe('a service history', () => {
  it('gives where it ran and each failover with its cause and duration', async () => {
    const { admin } = await failoverStory();
    const web = (
      await admin.call('GET', `/api/clusters/webcluster/services/${webservice}/history`)
    ).json();
    expect(web.failovers).toEqual([
      {
        from: 'node2',
        to: 'node3',
        cause: 'owner-lost',
        troubleAt: '2026-11-27T08:00:01.000Z',
        startedAt: '2026-11-27T08:00:04.000Z',
        durationMs: 3000,
      },
    ]);
    expect(web.spans).toEqual([
      {
        state: 'recovering',
        node: null,
        from: '2026-11-27T08:00:01.000Z',
        to: '2026-11-27T08:00:04.000Z',
      },
      { state: 'started', node: 'node3', from: '2026-11-27T08:00:04.000Z', to: null },
    ]);
    const db = (
      await admin.call(
        'GET',
        `/api/clusters/webcluster/services/${encodeURIComponent('service:db')}/history`,
      )
    ).json();
    expect(db.failovers).toMatchObject([
      { from: 'node1', to: 'node3', cause: 'service-failed', durationMs: 1000 },
    ]);
  });

  it('counts an administrator’s relocation as a move, not a failover', async () => {
    const { admin, console } = await withCluster();
    console.advance(1000);
    const moved = await admin.call(
      'POST',
      `/api/clusters/webcluster/services/${webservice}/relocate`,
      {
        node: 'node1',
      },
    );
    expect(moved.statusCode).toBe(200);
    const history = (
      await admin.call('GET', `/api/clusters/webcluster/services/${webservice}/history`)
    ).json();
    expect(history).toMatchObject({ failovers: [], relocations: 1 });
    expect(history.spans.map((s: { node: string }) => s.node)).toEqual(['node1']);
  });

  it('shows the current state alone before any event, and 404 for an unknown service', async () => {
    const { admin } = await withCluster();
    const history = (
      await admin.call('GET', `/api/clusters/webcluster/services/${webservice}/history`)
    ).json();
    expect(history.spans).toEqual([
      { state: 'started', node: 'node2', from: '2026-11-27T07:00:01.000Z', to: null },
    ]);
    const unknown = await admin.call(
      'GET',
      `/api/clusters/webcluster/services/${encodeURIComponent('service:nope')}/history`,
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('agent logs', () => {
  it('relays one node’s newest lines as its agent sent them', async () => {
    const cluster = new FakeCluster();
    cluster.logLines.set('node2', [
      { time: '2026-11-27T08:00:00.000Z', level: 'info', event: 'started', fields: {} },
      {
        time: '2026-11-27T08:00:01.000Z',
        level: 'warn',
        event: 'fence failed',
        fields: { device: 'ipmi', password: '[redacted]' },
      },
    ]);
    const { admin } = await withCluster(cluster);
    const response = await admin.call('GET', '/api/clusters/webcluster/nodes/node2/logs?limit=1');
    expect(response.json()).toEqual({
      node: 'node2',
      lines: [
        {
          time: '2026-11-27T08:00:01.000Z',
          level: 'warn',
          event: 'fence failed',
          fields: { device: 'ipmi', password: '[redacted]' },
        },
      ],
    });
  });

  it('says which node did not answer, and refuses unknown nodes', async () => {
    const cluster = new FakeCluster();
    const { admin } = await withCluster(cluster);
    cluster.powerOff('node3');
    const dark = await admin.call('GET', '/api/clusters/webcluster/nodes/node3/logs');
    expect(dark.statusCode).toBe(503);
    expect(dark.json().error.message).toContain("node3's agent did not answer");
    const unknown = await admin.call('GET', '/api/clusters/webcluster/nodes/node9/logs');
    expect(unknown.statusCode).toBe(404);
  });
});
