import type { ClusterStatus, ConsoleEvent } from '@quorate/protocol';
import { describe, expect, it } from 'vitest';
import { ConsoleStore, openMemoryDatabase } from '../store/index.js';
import { FakeCluster } from '../testing/fake-cluster.js';
import { ClusterWatch } from './cluster-watch.js';

function setup() {
  const store = new ConsoleStore(openMemoryDatabase());
  const add = () => store.clusters.add({ name: 'webcluster', addedBy: 'test', now: 0, nodes: [] })!;
  return { store, add, watch: new ClusterWatch(store, () => 1_000) };
}

const snapshot = (cluster: FakeCluster) => ({
  kind: 'snapshot' as const,
  snapshot: cluster.snapshot(),
});
const offline = (status: ClusterStatus, node: string): ClusterStatus => ({
  ...status,
  members: status.members.map((m) => (m.name === node ? { ...m, online: false } : m)),
});

describe('the cluster watch', () => {
  it('records what each snapshot changed, in the store', () => {
    const { store, add, watch } = setup();
    const row = add();
    const cluster = new FakeCluster();
    expect(watch.observe('webcluster', snapshot(cluster))).toEqual([]);
    cluster.update((status) => offline(status, 'node3'));
    const events = watch.observe('webcluster', snapshot(cluster));
    expect(events.map((e) => e.message)).toEqual([
      'node3 is offline',
      'Fencing node3: its services recover once the fence succeeds',
    ]);
    expect(store.events.recent(row.id, 10)).toEqual([...events].reverse());
  });

  it('starts afresh for a cluster removed and added again under the same name', () => {
    const { store, add, watch } = setup();
    const cluster = new FakeCluster();
    const first = add();
    watch.observe('webcluster', snapshot(cluster));
    store.clusters.remove(first.id);
    watch.keepOnly([]);
    add();
    cluster.update((status) => offline(status, 'node3'));
    expect(watch.observe('webcluster', snapshot(cluster))).toEqual([]);
  });

  it('records a lost link once, and its return', () => {
    const { add, watch } = setup();
    add();
    const lost = { kind: 'state' as const, state: 'lost' as const };
    const messages = [lost, lost, { kind: 'state' as const, state: 'connected' as const }].map(
      (change) => watch.observe('webcluster', change).map((e) => e.message),
    );
    expect(messages).toEqual([
      ["The console lost its link to the cluster's agents"],
      [],
      ["The console reached the cluster's agents again"],
    ]);
  });

  it('takes an agent’s word that a member left: its loss is a leave, not a fence', () => {
    const { add, watch } = setup();
    add();
    const cluster = new FakeCluster();
    watch.observe('webcluster', snapshot(cluster));
    const membership = {
      kind: 'membership' as const,
      node: 'node1',
      atMs: 0,
      members: ['node1', 'node2'],
      joined: [],
      lost: ['node3'],
      left: ['node3'],
      restarted: [],
    };
    expect(
      watch.observe('webcluster', { kind: 'event', event: membership, fenceLevel: null }),
    ).toEqual([]);
    cluster.update((status) => offline(status, 'node3'));
    expect(watch.observe('webcluster', snapshot(cluster)).map((e) => e.message)).toEqual([
      'node3 left the cluster',
    ]);
  });

  it('takes the leader’s word that a member still online was fenced: its loss is that fence', () => {
    const { add, watch } = setup();
    add();
    const cluster = new FakeCluster();
    watch.observe('webcluster', snapshot(cluster));
    const fence = (victim: string) => ({
      kind: 'event' as const,
      event: {
        kind: 'fence' as const,
        node: 'node1',
        atMs: 0,
        victim,
        method: 'power',
        outcome: 'succeeded' as const,
      },
      fenceLevel: null,
    });
    expect(watch.observe('webcluster', fence('node2')).map((e) => e.message)).toEqual([
      'node2: fence method power succeeded',
    ]);
    cluster.update((status) => offline(status, 'node2'));
    expect(watch.observe('webcluster', snapshot(cluster)).map((e) => e.message)).toEqual([
      'node2 is offline',
      'node2 was fenced',
    ]);
    // A fence that succeeds for a member already offline explains nothing later: its next
    // loss is a loss like any other.
    cluster.update((status) => offline(status, 'node3'));
    watch.observe('webcluster', snapshot(cluster));
    watch.observe('webcluster', fence('node3'));
    cluster.update((status) => ({
      ...status,
      members: status.members.map((m) => (m.name === 'node3' ? { ...m, online: true } : m)),
    }));
    watch.observe('webcluster', snapshot(cluster));
    cluster.update((status) => offline(status, 'node3'));
    expect(watch.observe('webcluster', snapshot(cluster)).map((e) => e.message)).toEqual([
      'node3 is offline',
      'Fencing node3: its services recover once the fence succeeds',
    ]);
  });

  it('keeps the usual fence story when an agent reported the loss before the fence succeeded', () => {
    const { add, watch } = setup();
    add();
    const cluster = new FakeCluster();
    watch.observe('webcluster', snapshot(cluster));
    const event = (event: ConsoleEvent) =>
      watch.observe('webcluster', { kind: 'event', event, fenceLevel: null });
    const at = { node: 'node1', atMs: 0 };
    const members = ['node1', 'node3'];
    event({
      ...at,
      kind: 'membership',
      members,
      joined: [],
      lost: ['node2'],
      left: [],
      restarted: [],
    });
    event({ ...at, kind: 'fence', victim: 'node2', method: 'power', outcome: 'succeeded' });
    cluster.update((status) => offline(status, 'node2'));
    expect(watch.observe('webcluster', snapshot(cluster)).map((e) => e.message)).toEqual([
      'node2 is offline',
      'Fencing node2: its services recover once the fence succeeds',
    ]);
  });
});
