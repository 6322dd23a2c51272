import type { ClusterStatus } from '@quorate/protocol';
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
});
