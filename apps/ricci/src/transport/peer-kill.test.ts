import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClusterCa, createNodeCert, type PemPair } from '../tls/certificates.js';
import { PeerTransport } from './peer-transport.js';
import { PEER_PATH, type PeerAddress } from './transport-types.js';

// `cman_tool kill -n`'s frame on the peer links, on loopback (127.0.0.1).
const HOST = '127.0.0.1';

/** What one transport saw: its log events and the senders of the kills it obeyed. */
class Seen {
  readonly events: { event: string; fields: Record<string, unknown> }[] = [];
  readonly killedBy: string[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  log = (_level: string, event: string, fields: Record<string, unknown>) => {
    this.events.push({ event, fields });
    this.settle();
  };

  kill = (from: string) => {
    this.killedBy.push(from);
    this.settle();
  };

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  fields(event: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.event === event).map((e) => e.fields);
  }

  private settle(): void {
    const ready = this.waiters.filter((waiter) => waiter.check());
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }
}

let ca: PemPair;
const certs = new Map<string, PemPair>();
const open: PeerTransport[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  ca = await createClusterCa({ clusterName: 'alpha' });
  for (const name of ['node1', 'node2', 'node3']) {
    certs.set(name, await createNodeCert({ nodeName: name, ca }));
  }
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(open.splice(0).map((transport) => transport.close()));
});

function transport(self: string, port: number, peers: PeerAddress[], seen: Seen): PeerTransport {
  const pair = certs.get(self) as PemPair;
  const made = new PeerTransport({
    self,
    listenHost: HOST,
    listenPort: port,
    tls: { caPem: ca.certPem, certPem: pair.certPem, keyPem: pair.keyPem },
    peers,
    isMember: (name) => certs.has(name),
    onMessage: () => {},
    onKill: seen.kill,
    log: seen.log,
    reconnectMs: { first: 10, last: 80 },
  });
  open.push(made);
  return made;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('kill frames', () => {
  it('reach the named peer over its link, which learns the sender; no link, no kill', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const one = new Seen();
    const two = new Seen();
    const node1 = transport(
      'node1',
      port1,
      [{ name: 'node2', addresses: [`${HOST}:${port2}`] }],
      one,
    );
    const node2 = transport('node2', port2, [], two);
    await Promise.all([node1.start(), node2.start()]);
    await one.until(() => one.fields('peer-link-up').length === 1);
    expect(await node1.kill('node2')).toBe(true);
    await two.until(() => two.killedBy.length === 1);
    expect(two.killedBy).toEqual(['node1']);
    // node3 is a member with no link from node1; node2 dials nobody.
    expect(await node1.kill('node3')).toBe(false);
    expect(await node2.kill('node1')).toBe(false);
    expect(one.killedBy).toEqual([]);
  });

  it('are obeyed only from the peer the certificate names and only when addressed here', async () => {
    const seen = new Seen();
    const port = await transport('node1', 0, [], seen).start();
    const client = new WebSocket(`wss://${HOST}:${port}${PEER_PATH}`, {
      ca: ca.certPem,
      cert: certs.get('node2')?.certPem,
      key: certs.get('node2')?.keyPem,
      rejectUnauthorized: false,
    });
    sockets.push(client);
    await new Promise((resolve) => client.once('open', resolve));
    const kill = (from: string, to: string) =>
      client.send(JSON.stringify({ version: 1, from, to, kind: 'kill' }));
    kill('node3', 'node1');
    kill('node2', 'node3');
    kill('node2', 'node1');
    await seen.until(() => seen.killedBy.length === 1);
    expect(seen.killedBy).toEqual(['node2']);
    expect(seen.fields('peer-frame-refused').map((fields) => fields.detail)).toEqual([
      '/from: node3 is not node2, whom the certificate names',
      '/to: node3 is not this node (node1)',
    ]);
  });
});
