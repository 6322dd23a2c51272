import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import type { PeerMessage } from '@quorate/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createClusterCa, createNodeCert, type PemPair } from '../tls/certificates.js';
import { PeerDialer } from './peer-dialer.js';
import { PeerTransport } from './peer-transport.js';
import {
  PEER_PATH,
  type PeerAddress,
  type TransportTls,
  type WireMessage,
} from './transport-types.js';

// Loopback only (127.0.0.1): the test-host tests of the daemon cross real namespaces.
const HOST = '127.0.0.1';
const MAX_FRAME_BYTES = 4096;

interface LogLine {
  readonly level: string;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

/** Collects what happened and resolves waits when it does: no sleeps, no polling. */
class Observed {
  readonly lines: LogLine[] = [];
  readonly received: WireMessage[] = [];
  /** The senders of the kill frames this transport obeyed. */
  readonly killedBy: string[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  log = (level: string, event: string, fields: Record<string, unknown>) => {
    this.lines.push({ level, event, fields });
    this.settle();
  };

  message = (message: WireMessage) => {
    this.received.push(message);
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

  untilEvent(
    event: string,
    match: (fields: Record<string, unknown>) => boolean = () => true,
  ): Promise<void> {
    return this.until(() => this.lines.some((line) => line.event === event && match(line.fields)));
  }

  events(event: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.event === event).map((line) => line.fields);
  }

  private settle(): void {
    const ready = this.waiters.filter((waiter) => waiter.check());
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }
}

let ca: PemPair;
const certs = new Map<string, PemPair>();
let foreign: PemPair;
const open: PeerTransport[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  ca = await createClusterCa({ clusterName: 'alpha' });
  for (const name of ['node1', 'node2', 'node3', 'node9']) {
    certs.set(name, await createNodeCert({ nodeName: name, ca }));
  }
  foreign = await createNodeCert({
    nodeName: 'node2',
    ca: await createClusterCa({ clusterName: 'other' }),
  });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(open.splice(0).map((transport) => transport.close()));
});

function tlsFor(name: string): TransportTls {
  const pair = certs.get(name);
  if (!pair) throw new Error(`no certificate for ${name}`);
  return { caPem: ca.certPem, certPem: pair.certPem, keyPem: pair.keyPem };
}

const members = new Set(['node1', 'node2', 'node3']);

function transport(
  self: string,
  port: number,
  peers: PeerAddress[],
  observed: Observed,
  protocolVersions?: readonly number[],
): PeerTransport {
  const made = new PeerTransport({
    self,
    listenHost: HOST,
    listenPort: port,
    tls: tlsFor(self),
    peers,
    isMember: (name) => members.has(name),
    onMessage: observed.message,
    onKill: observed.kill,
    log: observed.log,
    maxFrameBytes: MAX_FRAME_BYTES,
    reconnectMs: { first: 10, last: 80 },
    ...(protocolVersions ? { protocolVersions } : {}),
  });
  open.push(made);
  return made;
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function vote(from: string, to: string, term = 1): PeerMessage {
  return {
    type: 'vote-request',
    from,
    to,
    term,
    incarnation: 1,
    preVote: false,
    lastLogIndex: 0,
    lastLogTerm: 0,
  };
}

/** A hand-driven client, to send what a well-behaved transport never would. */
function rawClient(port: number, identity: PemPair): WebSocket {
  const ws = new WebSocket(`wss://${HOST}:${port}${PEER_PATH}`, {
    ca: ca.certPem,
    cert: identity.certPem,
    key: identity.keyPem,
    rejectUnauthorized: false,
  });
  sockets.push(ws);
  return ws;
}

function outcome(ws: WebSocket): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    ws.once('open', () => resolve('open'));
    ws.once('error', () => resolve('refused'));
    ws.once('close', () => resolve('refused'));
  });
}

/** node1 and node2, each dialling the other, once both links are up. */
async function linkedPair() {
  const [port1, port2] = [await freePort(), await freePort()];
  const one = new Observed();
  const two = new Observed();
  const node1 = transport(
    'node1',
    port1,
    [{ name: 'node2', addresses: [`${HOST}:${port2}`] }],
    one,
  );
  const node2 = transport(
    'node2',
    port2,
    [{ name: 'node1', addresses: [`${HOST}:${port1}`] }],
    two,
  );
  await Promise.all([node1.start(), node2.start()]);
  await Promise.all([one.untilEvent('peer-link-up'), two.untilEvent('peer-link-up')]);
  return { node1, node2, one, two };
}

describe('PeerTransport', () => {
  it('links two members, agrees version 2, and delivers messages both ways', async () => {
    const { node1, node2, one, two } = await linkedPair();
    expect(node1.links()).toEqual({ node2: 2 });
    expect(node1.send(vote('node1', 'node2'))).toBe(true);
    expect(node2.send(vote('node2', 'node1', 2))).toBe(true);
    await Promise.all([
      two.until(() => two.received.length === 1),
      one.until(() => one.received.length === 1),
    ]);
    expect(two.received).toEqual([vote('node1', 'node2')]);
    expect(one.received).toEqual([vote('node2', 'node1', 2)]);
    expect(node1.send(vote('node1', 'node7'))).toBe(false);
  });

  it("carries the controller's messages beside consensus, and refuses a malformed one", async () => {
    const observed = new Observed();
    const port = await transport('node1', 0, [], observed).start();
    const client = rawClient(port, certs.get('node2') as PemPair);
    expect(await outcome(client)).toBe('open');
    const report = {
      type: 'rm-report',
      from: 'node2',
      to: 'node1',
      term: 3,
      incarnation: 1,
      service: 'service:web',
      op: 'start',
      ok: true,
      transition: 7,
    };
    const frame = (message: object) =>
      JSON.stringify({ version: 1, from: 'node2', to: 'node1', kind: 'consensus', message });
    client.send(frame({ ...report, op: 'explode' }));
    client.send(frame(report));
    await observed.until(() => observed.received.length === 1);
    expect(observed.received).toEqual([report]);
    const refused = observed.events('peer-frame-refused');
    expect(refused.map((fields) => fields.code)).toEqual(['PEER_FRAME_INVALID']);
  });

  it('agrees a version per link: the highest both ends speak, whatever the others speak', async () => {
    const [port1, port2, port3] = [await freePort(), await freePort(), await freePort()];
    const address = (name: string, port: number) => ({ name, addresses: [`${HOST}:${port}`] });
    // node1 and node3 were upgraded (they speak 1 to 3), node2 was not (1 and 2), and none
    // shares anything with a node speaking only 4.
    const one = new Observed();
    const two = new Observed();
    const node1 = transport(
      'node1',
      port1,
      [address('node2', port2), address('node3', port3)],
      one,
      [1, 2, 3],
    );
    const node2 = transport('node2', port2, [address('node1', port1)], two, [1, 2]);
    const three = new Observed();
    const node3 = transport('node3', port3, [address('node1', port1)], three, [3, 2, 1]);
    await Promise.all([node1.start(), node2.start(), node3.start()]);
    await one.until(() => one.events('peer-link-up').length === 2);
    await Promise.all([two.untilEvent('peer-link-up'), three.untilEvent('peer-link-up')]);
    expect(node1.links()).toEqual({ node2: 2, node3: 3 });
    expect(node2.links()).toEqual({ node1: 2 });
    expect(node3.links()).toEqual({ node1: 3 });
    // The server side answered each hello with what it agreed.
    await one.until(() => one.events('peer-version').length === 2);
    expect(Object.fromEntries(one.events('peer-version').map((f) => [f.peer, f.version]))).toEqual({
      node2: 2,
      node3: 3,
    });
  });

  it('does not link with a peer that shares no version, and says so', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const one = new Observed();
    const node1 = transport(
      'node1',
      port1,
      [{ name: 'node2', addresses: [`${HOST}:${port2}`] }],
      one,
      [1],
    );
    await transport('node2', port2, [], new Observed(), [4]).start();
    await node1.start();
    await one.untilEvent('peer-version-mismatch');
    expect(one.events('peer-version-mismatch')[0]).toMatchObject({ peer: 'node2', theirs: [4] });
    expect(node1.links()).toEqual({ node2: null });
    expect(node1.send(vote('node1', 'node2'))).toBe(false);
  });

  it('refuses a certificate from another CA during the TLS handshake', async () => {
    const observed = new Observed();
    const port = await transport('node1', 0, [], observed).start();
    const client = rawClient(port, foreign);
    expect(await outcome(client)).toBe('refused');
    await observed.untilEvent('peer-refused');
    expect(observed.events('peer-refused')[0]?.reason).toBe(
      'TLS handshake failed: no certificate from the cluster CA',
    );
    expect(observed.events('peer-link-in')).toEqual([]);
  });

  it('refuses a node of this CA that is not in the committed configuration before reading its request', async () => {
    const observed = new Observed();
    const port = await transport('node1', 0, [], observed).start();
    const client = rawClient(port, certs.get('node9') as PemPair);
    expect(await outcome(client)).toBe('refused');
    await observed.untilEvent('peer-refused');
    expect(observed.events('peer-refused')[0]).toMatchObject({
      peer: 'node9',
      reason: 'node node9 is not in the committed configuration',
    });
    expect(observed.events('peer-link-in')).toEqual([]);
  });

  it('refuses malformed, oversized and spoofed frames, logs them, and keeps the connection', async () => {
    const observed = new Observed();
    const port = await transport('node1', 0, [], observed).start();
    const client = rawClient(port, certs.get('node2') as PemPair);
    expect(await outcome(client)).toBe('open');
    const frame = (message: PeerMessage) =>
      JSON.stringify({
        version: 1,
        from: message.from,
        to: message.to,
        kind: 'consensus',
        message,
      });
    client.send('{not json');
    client.send(JSON.stringify({ pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    client.send(frame(vote('node3', 'node1')));
    client.send(JSON.stringify({ version: 1, from: 'node2', to: 'node1', kind: 'gossip' }));
    client.send(frame(vote('node2', 'node1')));
    await observed.until(() => observed.received.length === 1);
    expect(observed.received).toEqual([vote('node2', 'node1')]);
    expect(
      observed.events('peer-frame-refused').map((fields) => [fields.code, fields.detail]),
    ).toEqual([
      ['PEER_FRAME_NOT_JSON', '/: the frame is not JSON'],
      [
        'PEER_FRAME_TOO_LARGE',
        `/: frame of ${MAX_FRAME_BYTES + 10} bytes is over the ${MAX_FRAME_BYTES}-byte limit`,
      ],
      ['PEER_FRAME_INVALID', '/from: node3 is not node2, whom the certificate names'],
      ['PEER_FRAME_INVALID', expect.stringMatching(/^\/kind: /)],
    ]);
    expect(client.readyState).toBe(WebSocket.OPEN);
    // Far beyond the limit the frame is not even buffered: the connection closes with 1009.
    const closed = new Promise<number>((resolve) => client.once('close', resolve));
    client.send('x'.repeat(MAX_FRAME_BYTES * 5));
    expect(await closed).toBe(1009);
  });

  it('redials with backoff until the peer is up, and again after it restarts', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const one = new Observed();
    const node1 = transport(
      'node1',
      port1,
      [{ name: 'node2', addresses: [`${HOST}:${port2}`] }],
      one,
    );
    await node1.start();
    await one.untilEvent('peer-dial-failed');
    expect(node1.send(vote('node1', 'node2'))).toBe(false);
    const two = new Observed();
    const first = transport('node2', port2, [], two);
    await first.start();
    await one.untilEvent('peer-link-up');
    await first.close();
    await one.untilEvent('peer-link-down');
    const again = new Observed();
    await transport('node2', port2, [], again).start();
    await one.until(() => one.events('peer-link-up').length === 2);
    expect(node1.send(vote('node1', 'node2', 5))).toBe(true);
    await again.until(() => again.received.length === 1);
    expect(again.received[0]?.term).toBe(5);
  });

  it('dials a peer again at once when its inbound frames show a new incarnation', async () => {
    const { node1, node2, one, two } = await linkedPair();
    // The same incarnation again changes nothing; a new one (a reboot) replaces the old link,
    // which may be dead without knowing it (a host that lost power never closed it).
    node2.send(vote('node2', 'node1'));
    node2.send(vote('node2', 'node1'));
    await one.until(() => one.received.length === 2);
    expect(one.events('peer-redial')).toEqual([]);
    node2.send({ ...vote('node2', 'node1'), incarnation: 2 });
    await one.untilEvent('peer-redial');
    expect(one.events('peer-redial')).toEqual([{ peer: 'node2', reason: 'the peer restarted' }]);
    await one.until(() => one.events('peer-link-up').length === 2);
    expect(node1.send(vote('node1', 'node2', 7))).toBe(true);
    await two.until(() => two.received.some((m) => m.term === 7));
  });

  it('drops a link whose peer answers no ping, and dials again', async () => {
    // A peer that completes the handshake and then goes silent, as a host behind a cut link
    // does: its TCP connection stays open, but nothing comes back.
    const node2 = tlsFor('node2');
    const https = createHttpsServer({
      cert: node2.certPem,
      key: node2.keyPem,
      ca: node2.caPem,
      requestCert: true,
    });
    const wss = new WebSocketServer({ server: https, autoPong: false });
    wss.on('connection', (ws) =>
      ws.on('message', () =>
        ws.send(
          JSON.stringify({ version: 1, from: 'node2', to: 'node1', kind: 'hello', versions: [1] }),
        ),
      ),
    );
    const port = await new Promise<number>((resolve) =>
      https.listen(0, HOST, () => resolve((https.address() as { port: number }).port)),
    );
    const observed = new Observed();
    const dialer = new PeerDialer({
      self: 'node1',
      peer: { name: 'node2', addresses: [`${HOST}:${port}`] },
      tls: tlsFor('node1'),
      log: observed.log,
      maxFrameBytes: MAX_FRAME_BYTES,
      protocolVersions: [1],
      reconnectMs: { first: 10, last: 80 },
      livenessMs: 50,
    });
    try {
      dialer.start();
      await observed.untilEvent('peer-link-silent');
      await observed.until(() => observed.events('peer-link-up').length === 2);
      expect(observed.events('peer-link-silent')[0]).toEqual({ peer: 'node2' });
    } finally {
      dialer.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  it('reaches a peer through its altname address when the first one fails', async () => {
    const [dead, port2] = [await freePort(), await freePort()];
    const one = new Observed();
    const peers = [{ name: 'node2', addresses: [`${HOST}:${dead}`, `${HOST}:${port2}`] }];
    await transport('node2', port2, [], new Observed()).start();
    await transport('node1', 0, peers, one).start();
    await one.untilEvent('peer-link-up');
    expect(one.events('peer-link-up')[0]?.address).toBe(`${HOST}:${port2}`);
  });

  it('does not link to a server whose certificate names another node', async () => {
    const port3 = await freePort();
    const one = new Observed();
    await transport('node3', port3, [], new Observed()).start();
    await transport('node1', 0, [{ name: 'node2', addresses: [`${HOST}:${port3}`] }], one).start();
    await one.untilEvent('peer-dial-failed', (fields) =>
      String(fields.detail).includes('certificate names node3, not node2'),
    );
    expect(one.events('peer-link-up')).toEqual([]);
  });

  it('drops a removed node: its inbound link ends, it is not dialled, its redials are refused', async () => {
    const [port1, port2, port3] = [await freePort(), await freePort(), await freePort()];
    const one = new Observed();
    const three = new Observed();
    const address = (name: string, port: number) => ({ name, addresses: [`${HOST}:${port}`] });
    const node1 = transport(
      'node1',
      port1,
      [address('node2', port2), address('node3', port3)],
      one,
    );
    const node3 = transport('node3', port3, [address('node1', port1)], three);
    await transport('node2', port2, [], new Observed()).start();
    await Promise.all([node1.start(), node3.start()]);
    await one.until(() => one.events('peer-link-up').length === 2);
    await one.untilEvent('peer-link-in', (fields) => fields.peer === 'node3');
    members.delete('node3');
    try {
      // A config without node3 committed: node1 keeps node2 only.
      node1.configChanged([address('node2', port2)]);
      expect(node1.dialled()).toEqual(['node2']);
      expect(node1.send(vote('node1', 'node3'))).toBe(false);
      await three.untilEvent('peer-link-down');
      // node3 redials with backoff and is refused at the TLS handshake.
      await one.untilEvent('peer-refused', (fields) => fields.peer === 'node3');
    } finally {
      members.add('node3');
    }
    expect(one.events('peer-dropped')).toEqual([
      { peer: 'node3', reason: 'no longer in the configuration' },
    ]);
    expect(one.events('peer-undialled')).toEqual([
      { peer: 'node3', reason: 'no longer in the configuration' },
    ]);
    expect(node1.send(vote('node1', 'node2'))).toBe(true);
  });

  it('keeps dialling a node that still votes (a removal not yet committed) and dials an added one', async () => {
    const [port1, port2, port3] = [await freePort(), await freePort(), await freePort()];
    const one = new Observed();
    const address = (name: string, port: number) => ({ name, addresses: [`${HOST}:${port}`] });
    const node1 = transport('node1', port1, [address('node2', port2)], one);
    await transport('node2', port2, [], new Observed()).start();
    await transport('node3', port3, [], new Observed()).start();
    await node1.start();
    await one.untilEvent('peer-link-up');
    // The newest file names node3 and not node2, but node2 is still a member (joint consensus).
    node1.configChanged([address('node3', port3)]);
    expect(node1.dialled()).toEqual(['node2', 'node3']);
    await one.untilEvent('peer-link-up', (fields) => fields.peer === 'node3');
    expect(node1.links()).toEqual({ node2: 2, node3: 2 });
  });
});

// `cman_tool kill -n`'s frame on the peer links.
describe('kill frames', () => {
  it('reach the named peer over its link, which learns the sender; no link, no kill', async () => {
    const [port1, port2] = [await freePort(), await freePort()];
    const one = new Observed();
    const two = new Observed();
    const node1 = transport(
      'node1',
      port1,
      [{ name: 'node2', addresses: [`${HOST}:${port2}`] }],
      one,
    );
    const node2 = transport('node2', port2, [], two);
    await Promise.all([node1.start(), node2.start()]);
    await one.until(() => one.events('peer-link-up').length === 1);
    expect(await node1.kill('node2')).toBe(true);
    await two.until(() => two.killedBy.length === 1);
    expect(two.killedBy).toEqual(['node1']);
    // node3 is a member with no link from node1; node2 dials nobody.
    expect(await node1.kill('node3')).toBe(false);
    expect(await node2.kill('node1')).toBe(false);
    expect(one.killedBy).toEqual([]);
  });

  it('are obeyed only from the peer the certificate names and only when addressed here', async () => {
    const seen = new Observed();
    const port = await transport('node1', 0, [], seen).start();
    const client = rawClient(port, certs.get('node2') as PemPair);
    await new Promise((resolve) => client.once('open', resolve));
    const kill = (from: string, to: string) =>
      client.send(JSON.stringify({ version: 1, from, to, kind: 'kill' }));
    kill('node3', 'node1');
    kill('node2', 'node3');
    kill('node2', 'node1');
    await seen.until(() => seen.killedBy.length === 1);
    expect(seen.killedBy).toEqual(['node2']);
    expect(seen.events('peer-frame-refused').map((fields) => fields.detail)).toEqual([
      '/from: node3 is not node2, whom the certificate names',
      '/to: node3 is not this node (node1)',
    ]);
  });
});
