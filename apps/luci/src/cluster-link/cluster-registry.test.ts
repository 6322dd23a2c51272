import { describe, expect, it } from 'vitest';
import { ConsoleStore, openMemoryDatabase } from '../store/index.js';
import { FakeCluster } from '../testing/fake-cluster.js';
import type { ClusterLink } from './cluster-link.js';
import { ClusterRegistry } from './cluster-registry.js';

/** A link that records its revocation and its close, in order; `closed` settles on the close. */
function trustingLink(revoke: () => Promise<boolean>) {
  const steps: string[] = [];
  let onClose = () => {};
  const closed = new Promise<void>((resolve) => {
    onClose = resolve;
  });
  const link: ClusterLink = {
    ...new FakeCluster().link(),
    revokeTrust: () => {
      steps.push('revoke');
      return revoke();
    },
    close: () => {
      steps.push('close');
      onClose();
    },
  };
  return { link, steps, closed };
}

async function registryWith(link: ClusterLink) {
  const store = new ConsoleStore(openMemoryDatabase());
  const factory = { available: true, connect: async () => link, reconnect: () => link };
  const registry = new ClusterRegistry(
    store,
    factory,
    () => 1_000,
    () => {},
  );
  const row = await registry.add(
    { address: '10.0.0.1', port: 11111, agentPassword: 'agent password!' },
    'admin',
  );
  return { registry, store, row };
}

describe('removing a cluster', () => {
  it('asks its agents to revoke the console, and closes the link once they answered', async () => {
    let answer: (revoked: boolean) => void = () => {};
    const revoked = new Promise<boolean>((resolve) => {
      answer = resolve;
    });
    const { link, steps, closed } = trustingLink(() => revoked);
    const { registry, store, row } = await registryWith(link);
    registry.remove(row);
    // The cluster is gone from the registry at once; the link waits for the agent's answer.
    expect(store.clusters.list()).toEqual([]);
    expect(registry.linkOf(row.name)).toBeUndefined();
    expect(steps).toEqual(['revoke']);
    answer(true);
    await closed;
    expect(steps).toEqual(['revoke', 'close']);
  });

  it('closes the link even when no agent could take the revocation', async () => {
    const { link, steps, closed } = trustingLink(() => Promise.reject(new Error('unreachable')));
    const { registry, row } = await registryWith(link);
    registry.remove(row);
    await closed;
    expect(steps).toEqual(['revoke', 'close']);
  });
});
