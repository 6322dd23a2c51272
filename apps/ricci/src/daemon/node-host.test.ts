import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterNode, type LogEntry, type PeerMessage, ServiceController } from '@quorate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableLog } from '../storage/durable-log.js';
import type { WireMessage } from '../transport/transport-types.js';
import { NodeHost } from './node-host.js';

let dir: string;
let storage: DurableLog;
const hosts: NodeHost[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quorate-host-'));
  storage = DurableLog.open(dir);
});
afterEach(() => {
  // A drain still scheduled must not write to the closed log.
  for (const made of hosts.splice(0)) made.stop();
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const voters = ['a', 'b', 'c'].map((id) => ({ id, votes: 1 }));

function host(tokenMs: number, id = 'b') {
  const sent: WireMessage[] = [];
  const node = new ClusterNode({
    id,
    config: { voters, expectedVotes: 0, tokenMs },
    tickMs: 50,
    random: { nextInt: () => 0 },
  });
  const made = new NodeHost({
    node,
    storage,
    sink: { send: (message) => sent.push(message) > 0 },
    log: () => {},
    writeConfig: () => ({ path: '', written: false, backup: null }),
    snapshotEntries: 1000,
    tickMs: 50,
    tokenMs,
  });
  hosts.push(made);
  return { host: made, sent };
}

const heartbeat = (from: string): PeerMessage => ({
  type: 'append-request',
  from,
  to: 'b',
  term: 1,
  incarnation: 1,
  prevIndex: 0,
  prevTerm: 0,
  entries: [],
  commit: 0,
  members: ['a', 'b', 'c'],
  sentTick: 0,
  // The leader heard b's answer sent at b's tick 0: b's lease counts from there.
  echoTick: 0,
});

describe('NodeHost', () => {
  it("lets a follower's clock sleep almost a token after its leader's message, and no longer", () => {
    const { host: follower, sent } = host(1000);
    const message = heartbeat('a');
    follower.receive(message);
    follower.drain();
    expect(follower.status()).toMatchObject({ role: 'follower', leader: 'a' });
    expect(sent.map((m) => m.type)).toEqual(['append-response']);
    // A token of 1000 ms is 20 ticks of 50 ms: wake two ticks before it runs out.
    expect(follower.quietUntilTick(message)).toBe(18);
    // Then it does nothing of its own for those ticks: no message, no event.
    follower.tick(18);
    follower.drain();
    expect(sent).toHaveLength(1);
    expect(follower.status()).toMatchObject({ role: 'follower', leader: 'a', quorate: true });
  });

  it('wakes a follower before the lease its leader last confirmed runs out, not a token after a late message', () => {
    const { host: follower } = host(1000);
    follower.receive(heartbeat('a'));
    follower.drain();
    follower.tick(10);
    // The leader's next message arrives ten ticks later but echoes the same answer of tick 0:
    // the lease (20 ticks from tick 0) ends at tick 20, long before a token from now (30).
    const late = heartbeat('a');
    follower.receive(late);
    follower.drain();
    expect(follower.quietUntilTick(late)).toBe(18);
    // And indeed the follower is no longer quorate at tick 20 without a newer echo.
    follower.tick(10);
    expect(follower.status()).toMatchObject({ leader: 'a', quorate: false });
    // A message echoing no answer at all starts no lease: the clock ticks one by one.
    const none = { ...heartbeat('a'), echoTick: -1 } as PeerMessage;
    follower.receive(none);
    expect(follower.quietUntilTick(none)).toBe(0);
  });

  it('keeps ticking one by one after anything but its leader speaking', () => {
    const { host: follower } = host(1000);
    const vote: PeerMessage = {
      type: 'vote-request',
      from: 'c',
      to: 'b',
      term: 1,
      incarnation: 1,
      preVote: true,
      lastLogIndex: 0,
      lastLogTerm: 0,
    };
    follower.receive(vote);
    expect(follower.quietUntilTick(vote)).toBe(0);
    follower.receive(heartbeat('a'));
    // A heartbeat from a node it does not follow (a stale leader of an older term) is no lease.
    const stale = { ...heartbeat('c'), term: 0 };
    follower.receive(stale);
    expect(follower.quietUntilTick(stale)).toBe(0);
  });

  it('lets a leader sleep until its next heartbeat once every peer answered the last one', () => {
    const { host: leader, sent } = host(1000, 'a');
    const answer = (to: PeerMessage, fields: Partial<PeerMessage>): PeerMessage =>
      ({ from: to.to, to: 'a', term: to.term, incarnation: 1, ...fields }) as PeerMessage;
    // An election: the token runs out, b grants the pre-vote and then the vote.
    leader.tick(20);
    const preVote = sent.find((m) => m.type === 'vote-request' && m.to === 'b') as PeerMessage;
    leader.receive(answer(preVote, { type: 'vote-response', preVote: true, granted: true }));
    leader.drain();
    const vote = sent.find((m) => m.type === 'vote-request' && !m.preVote) as PeerMessage;
    leader.receive(answer(vote, { type: 'vote-response', preVote: false, granted: true }));
    leader.drain();
    expect(leader.status().role).toBe('leader');
    // Its heartbeat round goes out on a tick; each answer to it is counted.
    sent.length = 0;
    leader.tick(5);
    const round = sent.filter((m) => m.type === 'append-request');
    expect(round.map((m) => m.to).sort()).toEqual(['b', 'c']);
    const sentTick = (round[0] as { sentTick: number }).sentTick;
    const ack = (to: PeerMessage) =>
      answer(to, {
        type: 'append-response',
        success: true,
        matchIndex: 1,
        echoTick: sentTick,
        sentTick: 0,
      });
    const fromB = ack(round.find((m) => m.to === 'b') as PeerMessage);
    leader.receive(fromB);
    expect(leader.quietUntilTick(fromB)).toBe(0);
    const fromC = ack(round.find((m) => m.to === 'c') as PeerMessage);
    leader.receive(fromC);
    expect(leader.quietUntilTick(fromC)).toBe(sentTick + 5);
    // And indeed it sends nothing until then, and its next heartbeat then.
    leader.drain();
    sent.length = 0;
    leader.tick(4);
    expect(sent).toEqual([]);
    leader.tick(1);
    expect(sent.filter((m) => m.type === 'append-request')).toHaveLength(2);
  });
});

/** A runnable cluster.conf of a, b and c. */
const conf = (version: number, names = ['a', 'b', 'c']) =>
  `<?xml version="1.0"?>\n<cluster name="t" config_version="${version}">\n  <clusternodes>\n${names
    .map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>\n`)
    .join('')}  </clusternodes>\n</cluster>\n`;

/** A bare node (started from a peer list) that may start its resource manager. */
function bareHost(snapshotEntries = 1000) {
  const sent: WireMessage[] = [];
  const logged: { event: string; fields: Record<string, unknown> }[] = [];
  const written: string[] = [];
  let configChanges = 0;
  const nodeOptions = {
    id: 'b',
    config: { voters, expectedVotes: 0, tokenMs: 1000 },
    tickMs: 50,
    random: { nextInt: () => 0 },
  };
  const made = new NodeHost({
    node: new ClusterNode(nodeOptions),
    storage,
    sink: { send: (message) => sent.push(message) > 0 },
    log: (_level, event, fields = {}) => logged.push({ event, fields }),
    writeConfig: (text) => {
      written.push(text);
      return { path: 'cluster.conf', written: true, backup: null };
    },
    snapshotEntries,
    tickMs: 50,
    tokenMs: 1000,
    makeController: (clusterConf, restored) =>
      new ServiceController({ ...nodeOptions, restored, clusterConf }),
    onConfigChanged: () => configChanges++,
  });
  hosts.push(made);
  return { host: made, sent, logged, written, configChanges: () => configChanges };
}

/** The leader a's append carrying `entries`, committing up to `commit`. */
const appendFromA = (prevIndex: number, entries: LogEntry[], commit: number): PeerMessage => ({
  type: 'append-request',
  from: 'a',
  to: 'b',
  term: 1,
  incarnation: 1,
  prevIndex,
  prevTerm: prevIndex === 0 ? 0 : 1,
  entries,
  commit,
  members: ['a', 'b', 'c'],
  sentTick: 0,
  echoTick: -1,
});

describe('NodeHost without a cluster.conf', () => {
  it('starts the resource manager when its first cluster.conf commits, keeping log, term and vote', () => {
    const { host: bare, sent, logged, written, configChanges } = bareHost();
    bare.drain();
    expect(bare.serviceController()).toBeNull();
    const noop: LogEntry = { index: 1, term: 1, kind: 'noop', data: '' };
    bare.receive(appendFromA(0, [noop], 1));
    bare.drain();
    expect(bare.serviceController()).toBeNull();
    expect(configChanges()).toBe(0);
    const config: LogEntry = { index: 2, term: 1, kind: 'config', data: conf(1) };
    bare.receive(appendFromA(1, [config], 2));
    bare.drain();
    // The controller replays the log it was restored from: the same text again, which the real
    // writer leaves alone.
    expect(new Set(written)).toEqual(new Set([conf(1)]));
    expect(bare.serviceController()).not.toBeNull();
    expect(bare.status()).toMatchObject({ term: 1, commit: 2, lastIndex: 2, configVersion: 1 });
    // A restart in all but the process: a new incarnation, durable before anything is sent.
    expect(bare.status().incarnation).toBe(2);
    expect(storage.restored()?.hardState).toMatchObject({ term: 1, commit: 2, incarnation: 2 });
    const started = logged.find((line) => line.event === 'resource-manager-started');
    expect(started?.fields).toMatchObject({ configVersion: 1, term: 1, commit: 2 });
    expect(configChanges()).toBeGreaterThanOrEqual(1);
    // The controller's node answers the leader's next append from the log it kept.
    sent.length = 0;
    bare.receive(appendFromA(2, [], 2));
    bare.drain();
    expect(sent.find((m) => m.type === 'append-response')).toMatchObject({
      success: true,
      matchIndex: 2,
      incarnation: 2,
    });
  });

  it("snapshots the controller's state of the entries committed with the first file", () => {
    // A snapshot after every applied entry: the one covering a command committed together with
    // the file must hold what the controller made of it, not a bare node's empty state.
    const { host: bare } = bareHost(1);
    const probed = JSON.stringify({ v: 1, atMs: 0, type: 'probed', node: 'a', incarnation: 1 });
    const entries: LogEntry[] = [
      { index: 1, term: 1, kind: 'noop', data: '' },
      { index: 2, term: 1, kind: 'config', data: conf(1) },
      { index: 3, term: 1, kind: 'command', data: probed },
    ];
    bare.receive(appendFromA(0, entries, 3));
    bare.drain();
    expect(bare.serviceController()).not.toBeNull();
    const snapshot = storage.restored()?.snapshot;
    expect(snapshot?.index).toBe(3);
    expect(JSON.parse(snapshot?.appState ?? '{}').probed).toEqual({
      a: { incarnation: 1, index: 3 },
    });
  });
});
