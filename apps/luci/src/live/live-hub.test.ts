import { liveCloseCodes } from '@quorate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import {
  fakeClusterLinks,
  type LiveSocket,
  openLiveSocket,
  startTestConsole,
  type TestBrowser,
  type TestConsole,
} from '../../testing/test-console.js';
import type { SessionManager } from '../auth/session-manager.js';
import type { ClusterRegistry } from '../cluster-link/cluster-registry.js';
import type { UserRow } from '../store/index.js';
import { LiveHub } from './live-hub.js';

let luci: TestConsole | undefined;
const sockets: LiveSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.socket.terminate();
  await luci?.close();
});

function openLive(browser: TestBrowser, headers: Record<string, string> = {}) {
  const live = openLiveSocket(luci!.app, browser, headers);
  sockets.push(live);
  return live;
}

async function listening(): Promise<TestConsole> {
  luci = await startTestConsole(fakeClusterLinks());
  await luci.app.listen({ host: '127.0.0.1', port: 0 });
  return luci;
}

describe('the live socket', () => {
  it('sends the cluster list at once and again when the registry changes', async () => {
    const console = await listening();
    const admin = await console.asAdmin();
    const live = await openLive(admin);
    expect(await live.next()).toEqual({ type: 'clusters', clusters: [] });
    await admin.call('POST', '/api/clusters', { address: '192.0.2.1', agentPassword: 'secret' });
    const pushed = await live.next();
    expect(pushed.type === 'clusters' && pushed.clusters.map((c) => c.name)).toEqual([
      'webcluster',
    ]);
  });

  it('pushes each user only the clusters that user may view', async () => {
    const console = await listening();
    const admin = await console.asAdmin();
    const stranger = await console.asUser('stranger');
    const live = await openLive(stranger);
    expect(await live.next()).toEqual({ type: 'clusters', clusters: [] });
    await admin.call('POST', '/api/clusters', { address: '192.0.2.1', agentPassword: 'secret' });
    expect(await live.next()).toEqual({ type: 'clusters', clusters: [] });
    await admin.call('PUT', '/api/users/stranger/roles', { roles: { webcluster: ['view'] } });
    const granted = await live.next();
    expect(granted.type === 'clusters' && granted.clusters.map((c) => c.myRoles)).toEqual([
      ['view'],
    ]);
  });

  it('tells the tab when its session expires, then closes', async () => {
    const console = await listening();
    const admin = await console.asAdmin();
    const live = await openLive(admin);
    await live.next();
    console.advance(30 * 60_000);
    console.app.live.sweep();
    expect(await live.next()).toEqual({ type: 'session-ended', reason: 'expired' });
    expect(await live.closed).toBe(liveCloseCodes.sessionEnded);
  });

  it('tells the tab when the user signs out', async () => {
    const console = await listening();
    const admin = await console.asAdmin();
    const live = await openLive(admin);
    await live.next();
    await admin.call('DELETE', '/api/session');
    expect(await live.next()).toEqual({ type: 'session-ended', reason: 'signed-out' });
  });

  it('refuses a handshake from another site or without a session', async () => {
    const console = await listening();
    const admin = await console.asAdmin();
    const crossSite = await openLive(admin, { origin: 'https://evil.example' });
    expect(await crossSite.refused).toBe(403);
    const anonymous = await openLive(console.browser());
    expect(await anonymous.refused).toBe(401);
  });
});

describe('the live hub', () => {
  it('builds a cluster’s page state once per user, however many tabs that user has open', () => {
    const users = [1, 2].map((id) => ({ id, name: `user${id}` }) as UserRow);
    const sessions = {
      principalByHash: (hash: string) => ({ user: users[Number(hash) - 1]! }),
    } as unknown as SessionManager;
    const built: string[] = [];
    const hub = new LiveHub(
      sessions,
      () => ({ listFor: () => [] }) as unknown as ClusterRegistry,
      (user, cluster) => {
        built.push(user.name);
        return {
          name: cluster,
          myRoles: ['view'],
          link: { state: 'connected', since: null },
          status: null,
          events: [],
        };
      },
    );
    const tabs = ['1', '1', '2'].map((hash) => {
      const sent: string[] = [];
      const socket = { OPEN: 1, readyState: 1, on: () => {}, send: (f: string) => sent.push(f) };
      hub.add(socket as unknown as WebSocket, hash);
      return sent;
    });
    built.length = 0;
    hub.publishStatus('webcluster');
    expect(built).toEqual(['user1', 'user2']);
    expect(tabs.map((sent) => JSON.parse(sent.at(-1)!).type)).toEqual([
      'cluster-status',
      'cluster-status',
      'cluster-status',
    ]);
  });
});
