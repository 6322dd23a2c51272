import type { AddressInfo } from 'node:net';
import { type LiveMessage, liveCloseCodes } from '@quorate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  fakeClusterLinks,
  startTestConsole,
  type TestBrowser,
  type TestConsole,
} from '../../testing/test-console.js';

let luci: TestConsole | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await luci?.close();
});

const snapshot = {
  clusterName: 'webcluster',
  configVersion: 1,
  nodes: [{ name: 'node1', address: '192.0.2.1', port: 11111, agentFingerprint: 'AA' }],
};

/** A live socket that queues what it receives, so a test can await each message in turn. */
async function openLive(browser: TestBrowser, headers: Record<string, string> = {}) {
  const app = luci!.app;
  const { port } = app.server.address() as AddressInfo;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/live`, {
    headers: {
      host: 'console.test',
      origin: 'http://console.test',
      cookie: browser.cookie ?? '',
      ...headers,
    },
  });
  sockets.push(socket);
  // A refused handshake also reports an error; the test looks at the status instead.
  socket.on('error', () => undefined);
  const queue: LiveMessage[] = [];
  const waiters: ((m: LiveMessage) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as LiveMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const next = () =>
    new Promise<LiveMessage>((resolve) => {
      const queued = queue.shift();
      if (queued) resolve(queued);
      else waiters.push(resolve);
    });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const refused = new Promise<number>((resolve) =>
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
  );
  return { socket, next, closed, refused };
}

async function listening(): Promise<TestConsole> {
  luci = await startTestConsole(fakeClusterLinks(snapshot));
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
