import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterNode, type PeerMessage } from '@quorate/core';
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
