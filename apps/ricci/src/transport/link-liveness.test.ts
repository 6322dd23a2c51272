import { createServer as createHttpsServer, type Server } from 'node:https';
import type { PeerMessage } from '@quorate/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { createClusterCa, createNodeCert, type PemPair } from '../tls/certificates.js';
import { LivenessTicker } from './liveness-ticker.js';
import { PeerDialer } from './peer-dialer.js';
import type { TransportTls } from './transport-types.js';

// An outbound link's liveness: pings on a quiet link, link marks on a busy one. Loopback only.
const HOST = '127.0.0.1';

let ca: PemPair;
const certs = new Map<string, PemPair>();
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ca = await createClusterCa({ clusterName: 'alpha' });
  for (const name of ['node1', 'node2']) {
    certs.set(name, await createNodeCert({ nodeName: name, ca }));
  }
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tlsFor(name: string): TransportTls {
  const pair = certs.get(name) as PemPair;
  return { caPem: ca.certPem, certPem: pair.certPem, keyPem: pair.keyPem };
}

/** Resolves waits when what was awaited happened: no sleeps, no polling. */
class Seen {
  readonly events: string[] = [];
  readonly frames: Record<string, unknown>[] = [];
  pings = 0;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  note(): void {
    const ready = this.waiters.filter((waiter) => waiter.check());
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }
}

/**
 * node2 as a bare WebSocket server that answers the hello in `versions`, records the frames it
 * receives and the pings, and never answers a ping: the way a peer behind a cut link looks.
 */
async function silentPeer(versions: number[], seen: Seen): Promise<number> {
  const node2 = tlsFor('node2');
  const https: Server = createHttpsServer({
    cert: node2.certPem,
    key: node2.keyPem,
    ca: node2.caPem,
    requestCert: true,
  });
  const wss = new WebSocketServer({ server: https, autoPong: false });
  wss.on('connection', (ws) => {
    ws.on('ping', () => {
      seen.pings++;
      seen.note();
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame.kind === 'hello') {
        ws.send(
          JSON.stringify({ version: 1, from: 'node2', to: 'node1', kind: 'hello', versions }),
        );
      } else seen.frames.push(frame);
      seen.note();
    });
  });
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => https.close(resolve));
  });
  return new Promise((resolve) =>
    https.listen(0, HOST, () => resolve((https.address() as { port: number }).port)),
  );
}

function dialer(port: number, versions: number[], seen: Seen): PeerDialer {
  const made = new PeerDialer({
    self: 'node1',
    peer: { name: 'node2', addresses: [`${HOST}:${port}`] },
    tls: tlsFor('node1'),
    log: (_level, event) => {
      seen.events.push(event);
      seen.note();
    },
    maxFrameBytes: 4096,
    protocolVersions: versions,
    reconnectMs: { first: 10, last: 80 },
    livenessMs: 20,
    receivedSeq: () => 41,
  });
  cleanups.push(() => made.stop());
  return made;
}

function vote(term: number): PeerMessage {
  return {
    type: 'vote-request',
    from: 'node1',
    to: 'node2',
    term,
    incarnation: 1,
    preVote: false,
    lastLogIndex: 0,
    lastLogTerm: 0,
  };
}

/** Sends a frame every few milliseconds until `count` arrived at the peer. */
async function sendUntil(link: PeerDialer, seen: Seen, count: number): Promise<void> {
  const pacer = setInterval(() => link.send(vote(seen.frames.length + 1)), 5);
  await seen.until(() => seen.frames.length >= count);
  clearInterval(pacer);
}

describe('link liveness', () => {
  it('does not ping a link whose peer acknowledges its frames, and gives it up once the acks stop', async () => {
    const seen = new Seen();
    const link = dialer(await silentPeer([1, 2], seen), [1, 2], seen);
    link.start();
    await seen.until(() => seen.events.includes('peer-link-up'));
    // The peer's answers acknowledge each frame, as the transport routes them to the dialer.
    const acknowledge = () => link.noteAck(seen.frames.at(-1)?.seq as number);
    const acked = setInterval(acknowledge, 5);
    await sendUntil(link, seen, 60);
    clearInterval(acked);
    expect(seen.pings).toBe(0);
    expect(seen.events).not.toContain('peer-link-silent');
    const seqs = seen.frames.map((frame) => frame.seq as number);
    expect(seqs.every((seq, i) => i === 0 || seq === (seqs[i - 1] as number) + 1)).toBe(true);
    expect(seen.frames.every((frame) => frame.version === 2 && frame.ack === 41)).toBe(true);
    // Acks of frames this link never sent prove nothing: pings, then the link is given up.
    const first = seqs[0] as number;
    const bogus = setInterval(() => {
      link.noteAck(first - 1);
      link.noteAck(first + 1_000_000);
    }, 5);
    const pacer = setInterval(() => link.send(vote(1)), 5);
    await seen.until(() => seen.events.includes('peer-link-silent'));
    clearInterval(bogus);
    clearInterval(pacer);
    // Given up three periods after the last proof: pinged meanwhile, as a quiet link is.
    expect(seen.pings).toBeGreaterThan(0);
  });

  it('sends no link marks on a version 1 link, and pings it', async () => {
    const seen = new Seen();
    const link = dialer(await silentPeer([1], seen), [1, 2], seen);
    link.start();
    await seen.until(() => seen.events.includes('peer-link-up'));
    expect(link.linkVersion()).toBe(1);
    link.noteAck(0);
    await sendUntil(link, seen, 3);
    expect(seen.frames.every((frame) => !('seq' in frame) && !('ack' in frame))).toBe(true);
    await seen.until(() => seen.pings > 0);
  });
});

describe('LivenessTicker', () => {
  it('runs every check on one timer, which ends with the last check', () => {
    vi.useFakeTimers();
    try {
      const ticker = new LivenessTicker(1000, () => Date.now());
      const runs: string[] = [];
      const one = () => runs.push('one');
      const two = () => runs.push('two');
      ticker.add(one);
      ticker.add(two);
      expect(vi.getTimerCount()).toBe(1);
      // With nothing arriving, the timer runs the checks a quarter period after they fell due.
      vi.advanceTimersByTime(1249);
      expect(runs).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(runs).toEqual(['one', 'two']);
      ticker.remove(one);
      vi.advanceTimersByTime(1250);
      expect(runs).toEqual(['one', 'two', 'two']);
      ticker.remove(two);
      expect(vi.getTimerCount()).toBe(0);
      expect(() => new LivenessTicker(0)).toThrow('periodMs: must be positive, got 0');
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs due checks on traffic, which puts the timer off', () => {
    vi.useFakeTimers();
    try {
      const ticker = new LivenessTicker(1000, () => Date.now());
      let runs = 0;
      ticker.add(() => runs++);
      vi.advanceTimersByTime(999);
      ticker.poke();
      expect(runs).toBe(0);
      vi.advanceTimersByTime(1);
      ticker.poke();
      expect(runs).toBe(1);
      // A frame every half period keeps the checks on the traffic: the timer never fires.
      for (let i = 0; i < 10; i++) {
        vi.advanceTimersByTime(500);
        ticker.poke();
      }
      expect(runs).toBe(6);
      vi.advanceTimersByTime(1249);
      expect(runs).toBe(6);
      vi.advanceTimersByTime(1);
      expect(runs).toBe(7);
      ticker.poke();
      expect(runs).toBe(7);
    } finally {
      vi.useRealTimers();
    }
  });
});
