import { liveCloseCodes } from '@quorate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeClusterLinks,
  type LiveSocket,
  openLiveSocket,
  startTestConsole,
  type TestBrowser,
  type TestConsole,
} from '../../testing/test-console.js';

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
