import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterNode, NOT_QUORATE_MESSAGE, parseClusterConf } from '@quorate/core';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { DurableLog } from '../storage/durable-log.js';
import { ConfigRequests } from './config-requests.js';
import { NodeHost } from './node-host.js';
import {
  clearRemovedVotes,
  REMOVED_VOTES_FILE,
  readRemovedVotes,
  writeRemovedVotes,
} from './removed-votes-file.js';
import { VoteRequests } from './vote-requests.js';

// One agent's host over a real log: a single-node cluster is quorate alone, so its proposals
// commit without peers. Leaving with `remove` after a successful commit needs other members
// and is tested on test hosts (scenarios/cman-tool-votes.test.ts).

const conf = (votes: number) => `<?xml version="1.0"?>
<cluster name="solo" config_version="3">
  <cman/>
  <clusternodes>
    <clusternode name="a" nodeid="1" votes="${votes}"><fence><method name="1"><device name="m"/></method></fence></clusternode>
  </clusternodes>
  <fencedevices><fencedevice name="m" agent="fence_manual"/></fencedevices>
</cluster>
`;

let dir: string;
let storage: DurableLog;
const made: NodeHost[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quorate-votes-'));
  storage = DurableLog.open(dir);
});
afterEach(() => {
  for (const host of made.splice(0)) host.stop();
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

function agent() {
  const written: string[] = [];
  const events: string[] = [];
  const listeners: Array<(event: string) => void> = [];
  const node = new ClusterNode({
    id: 'a',
    config: { voters: [{ id: 'a', votes: 1 }], expectedVotes: 0, tokenMs: 1000 },
    tickMs: 50,
    random: { nextInt: () => 0 },
    clusterConf: conf(1),
  });
  const host = new NodeHost({
    node,
    storage,
    sink: { send: () => true },
    log: (_level, event) => {
      events.push(event);
      for (const listener of listeners) listener(event);
    },
    writeConfig: (text) => {
      written.push(text);
      return { path: '', written: true, backup: null };
    },
    snapshotEntries: 1000,
    tickMs: 50,
    tokenMs: 1000,
    clusterConf: conf(1),
  });
  made.push(host);
  let left = 0;
  // Without a resource manager the proposal goes to the node itself (it leads alone).
  const config = new ConfigRequests({
    hasController: () => false,
    submit: () => false,
    proposeLocally: (text) => host.proposeConfig(text),
  });
  const requests = new VoteRequests({
    nodeName: 'a',
    host,
    leave: () => left++,
    propose: (text) => config.propose(text),
  });
  const elect = () => {
    host.tick(100);
    expect(host.status()).toMatchObject({ role: 'leader', quorate: true });
  };
  const logged = (wanted: string) =>
    new Promise<void>((resolve) => {
      if (events.includes(wanted)) resolve();
      listeners.push((event) => event === wanted && resolve());
    });
  return { host, requests, written, events, elect, logged, left: () => left };
}

describe('VoteRequests', () => {
  it('votes -v commits the new votes before it answers; the same votes again change nothing', async () => {
    const { host, requests, written, elect } = agent();
    elect();
    const before = host.status().configVersion;
    expect(await requests.setVotes(3)).toEqual({
      type: 'node',
      ok: true,
      message: 'votes set to 3',
    });
    expect(host.status().configVersion).toBe(before + 1);
    const applied = parseClusterConf(written.at(-1) ?? '');
    expect(applied.nodes[0]?.votes).toBe(3);
    expect(await requests.setVotes(3)).toMatchObject({ ok: true, message: 'votes already 3' });
    expect(host.status().configVersion).toBe(before + 1);
  });

  it('votes -v is refused while inquorate, and when the file would not be runnable', async () => {
    const { requests, elect } = agent();
    expect(await requests.setVotes(2)).toEqual({
      type: 'node',
      ok: false,
      message: NOT_QUORATE_MESSAGE,
    });
    elect();
    const none = await requests.setVotes(0);
    expect(none.ok).toBe(false);
    expect(none.message).toContain('no node has a vote, so the cluster can never be quorate');
  });

  it('leave remove whose commit is refused does not leave; with force it leaves, recording nothing', async () => {
    const { requests, elect, left } = agent();
    elect();
    const refused = await requests.leaveRemove(false);
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain('can never be quorate');
    expect(left()).toBe(0);
    const forced = await requests.leaveRemove(true);
    expect(forced.ok).toBe(true);
    expect(forced.message).toMatch(/^leaving the cluster with its votes still counted: /);
    // The leave follows the answer (it closes the control socket the answer goes out on).
    expect(left()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(left()).toBe(1);
    expect(readRemovedVotes(dir)).toBeNull();
  });

  it('join answers "Node is already active" on a member, quorate or not (as cman)', () => {
    const { host, requests, elect } = agent();
    expect(host.status().quorate).toBe(false);
    expect(requests.join()).toMatchObject({ ok: false, message: 'Node is already active' });
    elect();
    expect(requests.join()).toEqual({
      type: 'node',
      ok: false,
      message: 'Node is already active',
    });
  });
});

describe('a node that left with remove, back again', () => {
  it('clears its record once a member whose committed votes were given back', async () => {
    writeRemovedVotes(dir, { node: 'a', votes: 2, expectedLoweredBy: 0 });
    const { requests, elect, logged } = agent();
    elect();
    requests.startRestore();
    onTestFinished(() => requests.stop());
    await logged('votes-restored');
    expect(readRemovedVotes(dir)).toBeNull();
  });

  it('logs an unreadable record and keeps it', () => {
    writeFileSync(join(dir, REMOVED_VOTES_FILE), '{"node":""}');
    const { requests, events } = agent();
    requests.startRestore();
    expect(events).toContain('votes-restore-unreadable');
    expect(readFileSync(join(dir, REMOVED_VOTES_FILE), 'utf8')).toBe('{"node":""}');
  });
});

describe('the removed-votes record', () => {
  it('is written whole with mode 0600, read back, and cleared', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'quorate-removed-'));
    try {
      expect(readRemovedVotes(scratch)).toBeNull();
      const record = { node: 'n3', votes: 2, expectedLoweredBy: 1 };
      writeRemovedVotes(scratch, record);
      const path = join(scratch, REMOVED_VOTES_FILE);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readRemovedVotes(scratch)).toEqual(record);
      clearRemovedVotes(scratch);
      expect(readRemovedVotes(scratch)).toBeNull();
      writeFileSync(path, '{"node":"n3","votes":-1,"expectedLoweredBy":0}\n');
      expect(() => readRemovedVotes(scratch)).toThrow(
        /needs node \(a name\), votes and expectedLoweredBy \(integers ≥ 0\)/,
      );
      expect(readFileSync(path, 'utf8')).toContain('-1');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
