import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeCluster,
  type LiveSocket,
  lastAudit,
  openLiveSocket,
  startWithFakeCluster,
  type TestConsole,
} from '../../testing/test-console.js';

let luci: TestConsole | undefined;
const sockets: LiveSocket[] = [];
afterEach(async () => {
  for (const live of sockets.splice(0)) live.socket.terminate();
  await luci?.close();
});

const hostileService = 'service:<img src=x onerror=alert(1)>';
const webservice = encodeURIComponent('service:webservice');

/** A console with the fake cluster added by the admin. */
async function withCluster(cluster = new FakeCluster()) {
  const started = await startWithFakeCluster(cluster);
  luci = started.console;
  return started;
}

describe('the cluster status', () => {
  it('shows the members, quorum and services the agents report', async () => {
    const { admin } = await withCluster();
    const response = await admin.call('GET', '/api/clusters/webcluster/status');
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view.link.state).toBe('connected');
    expect(
      view.status.members.map((m: { name: string; online: boolean }) => [m.name, m.online]),
    ).toEqual([
      ['node1', true],
      ['node2', true],
      ['node3', true],
    ]);
    expect(view.status.services).toMatchObject([
      { id: 'service:webservice', state: 'started', owner: 'node2' },
    ]);
    const { clusters } = (await admin.call('GET', '/api/clusters')).json();
    expect(clusters[0].health).toMatchObject({
      quorate: true,
      membersOnline: 3,
      members: 3,
      servicesStarted: 1,
    });
  });

  it('is hidden from a user without the view role (404)', async () => {
    const { console } = await withCluster();
    const stranger = await console.asUser('stranger');
    const response = await stranger.call('GET', '/api/clusters/webcluster/status');
    expect(response.statusCode).toBe(404);
  });

  it('carries a service name made of markup unchanged, as data', async () => {
    const cluster = new FakeCluster({ services: { [hostileService]: 'node1' } });
    const { admin } = await withCluster(cluster);
    const view = (await admin.call('GET', '/api/clusters/webcluster/status')).json();
    expect(view.status.services[0].id).toBe(hostileService);
    const path = `/api/clusters/webcluster/services/${encodeURIComponent(hostileService)}/restart`;
    const restarted = await admin.call('POST', path, {});
    expect(restarted.json().text).toBe(`Trying to restart ${hostileService}...Success`);
  });
});

describe('service actions', () => {
  it('relocate in clusvcadm’s words, audited, and the cluster asked exactly that', async () => {
    const { admin, cluster } = await withCluster();
    const response = await admin.call(
      'POST',
      `/api/clusters/webcluster/services/${webservice}/relocate`,
      { node: 'node1' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      text: 'Trying to relocate service:webservice to node1...Success',
      owner: 'node1',
    });
    expect(cluster.actions).toEqual([
      { type: 'rm', request: { kind: 'relocate', service: 'service:webservice', target: 'node1' } },
    ]);
    expect(await lastAudit(admin)).toEqual([
      'service.relocate',
      'admin',
      'webcluster',
      'service:webservice',
      'ok',
      null,
    ]);
  });

  it('are refused with the cluster’s reason while locked, and work again once unlocked', async () => {
    const { admin } = await withCluster();
    const relocate = () =>
      admin.call('POST', `/api/clusters/webcluster/services/${webservice}/relocate`, {
        node: 'node1',
      });
    const locked = await admin.call('POST', '/api/clusters/webcluster/lock', {});
    expect(locked.json()).toEqual({ text: 'Resource groups locked', locked: true });
    const refused = await relocate();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toEqual({
      code: 'CONSOLE_ACTION_REFUSED',
      message:
        'Trying to relocate service:webservice to node1...Failure: resource groups are locked (clusvcadm -u unlocks them)',
    });
    expect((await lastAudit(admin)).slice(4)).toEqual(['refused', 'CONSOLE_ACTION_REFUSED']);
    const unlocked = await admin.call('POST', '/api/clusters/webcluster/unlock', {});
    expect(unlocked.json().text).toBe('Resource groups unlocked');
    expect((await relocate()).json().text).toBe(
      'Trying to relocate service:webservice to node1...Success',
    );
  });

  it('need the service-commands role: a view-only user gets 403 and the cluster hears nothing', async () => {
    const { console, cluster } = await withCluster();
    const viewer = await console.asUser('viewer', { webcluster: ['view'] });
    const attempts = [
      ['POST', `/api/clusters/webcluster/services/${webservice}/relocate`, { node: 'node1' }],
      ['POST', `/api/clusters/webcluster/services/${webservice}/disable`, {}],
      ['POST', '/api/clusters/webcluster/lock', {}],
      ['POST', '/api/clusters/webcluster/nodes/node2/fence-ack', {}],
    ] as const;
    for (const [method, path, body] of attempts) {
      const response = await viewer.call(method, path, body);
      expect(response.statusCode, path).toBe(403);
      expect(response.json().error.code).toBe('CONSOLE_FORBIDDEN');
    }
    expect(cluster.actions).toEqual([]);
    expect((await viewer.call('GET', '/api/clusters/webcluster/status')).statusCode).toBe(200);
  });

  it('acknowledge manual fencing only with the node-commands role', async () => {
    const { console, cluster } = await withCluster();
    const operator = await console.asUser('operator', {
      webcluster: ['view', 'service-commands'],
    });
    const path = '/api/clusters/webcluster/nodes/node2/fence-ack';
    expect((await operator.call('POST', path, {})).statusCode).toBe(403);
    const fencer = await console.asUser('fencer', { webcluster: ['view', 'node-commands'] });
    const acked = await fencer.call('POST', path, {});
    expect(acked.json()).toEqual({ text: 'Fencing of node2 acknowledged' });
    expect(cluster.actions).toEqual([{ type: 'fence-ack', node: 'node2' }]);
  });

  it('refuse bad input naming the field', async () => {
    const { admin } = await withCluster();
    const migrate = await admin.call(
      'POST',
      `/api/clusters/webcluster/services/${webservice}/migrate`,
      {},
    );
    expect(migrate.statusCode).toBe(400);
    expect(migrate.json().error.field).toBe('node');
    const disableOn = await admin.call(
      'POST',
      `/api/clusters/webcluster/services/${webservice}/disable`,
      { node: 'node1' },
    );
    expect(disableOn.statusCode).toBe(400);
    const noType = await admin.call('POST', '/api/clusters/webcluster/services/web/restart', {});
    expect(noType.statusCode).toBe(400);
    expect(noType.json().error.field).toBe('service');
  });

  it('answer 503 when no agent answers', async () => {
    const cluster = new FakeCluster();
    cluster.answer = () => Promise.reject(new Error('every agent timed out'));
    const { admin } = await withCluster(cluster);
    const response = await admin.call(
      'POST',
      `/api/clusters/webcluster/services/${webservice}/restart`,
      {},
    );
    expect(response.statusCode).toBe(503);
    expect(response.json().error.message).toBe(
      'no agent of cluster "webcluster" answered: every agent timed out',
    );
  });
});

describe('live status', () => {
  it('pushes each change to the tabs that may view the cluster, with the fence as it happens', async () => {
    const { console, admin, cluster } = await withCluster();
    await console.app.listen({ host: '127.0.0.1', port: 0 });
    const stranger = await console.asUser('stranger');
    const adminLive = openLiveSocket(console.app, admin);
    const strangerLive = openLiveSocket(console.app, stranger);
    sockets.push(adminLive, strangerLive);
    const first = await adminLive.nextOf('cluster-status');
    expect(first.cluster.status?.services[0]?.owner).toBe('node2');
    await strangerLive.nextOf('clusters');

    cluster.powerOff('node2');
    const lost = (await adminLive.nextOf('cluster-status')).cluster;
    expect(lost.status?.members.find((m) => m.name === 'node2')?.online).toBe(false);
    expect(lost.events.map((e) => e.message)).toEqual([
      'service:webservice is recovering (last on node2)',
      'Fencing node2: its services recover once the fence succeeds',
      'node2 is offline',
    ]);
    cluster.recover('node2', 'node3');
    // The homebase card follows too (its list is pushed just before the status).
    const card = (await adminLive.nextOf('clusters')).clusters[0];
    expect(card?.health).toMatchObject({ membersOnline: 2, servicesStarted: 1 });
    expect(card?.lastEvent?.message).toBe('service:webservice started on node3');
    const recovered = (await adminLive.nextOf('cluster-status')).cluster;
    expect(recovered.status?.services[0]).toMatchObject({ state: 'started', owner: 'node3' });
    expect(recovered.events.slice(0, 2).map((e) => [e.kind, e.message])).toEqual([
      ['service', 'service:webservice started on node3'],
      ['fenced', 'node2 was fenced'],
    ]);

    // The stranger's tab heard about none of it: one empty cluster list per change, nothing else.
    await strangerLive.nextOf('clusters');
    await strangerLive.nextOf('clusters');
    expect(strangerLive.received).toEqual(
      Array.from({ length: 3 }, () => ({ type: 'clusters', clusters: [] })),
    );
  });
});
