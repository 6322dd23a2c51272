import type { NodeId, RmRequest } from '@quorate/core';
import type { SimCluster } from './cluster.js';
import type { Prng } from './prng.js';

type Kind = RmRequest['kind'];

/** How often each request comes, out of the weights' sum; enable most, so services come back. */
const WEIGHTS: ReadonlyArray<readonly [Kind, number]> = [
  ['enable', 6],
  ['disable', 2],
  ['relocate', 3],
  ['restart', 2],
  ['stop', 1],
  ['freeze', 1],
  ['unfreeze', 2],
  ['convalesce', 1],
  ['lock', 1],
];

/**
 * An administrator running clusvcadm every 1–4 s at a random running node: enable, disable,
 * relocate (half of them to a named node), restart, stop, freeze, unfreeze, convalesce, and
 * now and then a lock of the resource groups that the same administrator lifts 1–3 s later.
 */
export class AdminWorkload {
  private sequence = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: Prng,
    private readonly services: readonly string[],
  ) {}

  start(untilMs: number): void {
    if (this.services.length === 0) return;
    const step = (): void => {
      if (this.cluster.now() >= untilMs) return;
      this.requestOnce();
      this.cluster.queue.after(this.random.between(1000, 4000), step);
    };
    this.cluster.queue.after(this.random.between(1000, 4000), step);
  }

  private pickKind(): Kind {
    const total = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.random.nextInt(total);
    for (const [kind, weight] of WEIGHTS) {
      if (roll < weight) return kind;
      roll -= weight;
    }
    return 'enable';
  }

  private requestOnce(): void {
    const up = this.cluster.ids.filter((id) => this.cluster.host(id).up);
    if (up.length === 0) return;
    const at = this.random.pick(up);
    const kind = this.pickKind();
    const service = this.random.pick(this.services);
    let request: RmRequest;
    if (kind === 'lock') {
      request = { kind: 'lock' };
      this.cluster.queue.after(this.random.between(1000, 3000), () => this.unlock());
    } else if (kind === 'relocate' || kind === 'enable') {
      const target = this.random.chance(0.5) ? this.random.pick(this.cluster.ids) : undefined;
      request = target === undefined ? { kind, service } : { kind, service, target };
    } else if (kind === 'unlock' || kind === 'query-lock' || kind === 'migrate') {
      return;
    } else request = { kind, service };
    this.cluster.request(at, this.nextId(), request);
  }

  /** Lifts the lock at a node that claims to lead, else at any running node. */
  unlock(): void {
    const leader = this.cluster.statuses().find((s) => s.role === 'leader');
    const up = this.cluster.ids.filter((id) => this.cluster.host(id).up);
    const at: NodeId | undefined = leader?.id ?? up[0];
    if (at !== undefined) this.cluster.request(at, this.nextId(), { kind: 'unlock' });
  }

  private nextId(): string {
    return `admin-${++this.sequence}`;
  }
}

/**
 * An administrator running fence_node every 10–40 s at a random running node against any
 * configured node: a live member, one that is down, the leader itself (refused), itself. Only
 * one seed in three has this administrator (swarm testing: a feature on in every seed would
 * change every other seed's faults and hide the rarer interleavings they reach).
 */
export class FenceNodeWorkload {
  private sequence = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: Prng,
  ) {}

  start(untilMs: number): void {
    if (!this.random.chance(1 / 3)) return;
    const step = (): void => {
      const cluster = this.cluster;
      if (cluster.now() >= untilMs) return;
      const up = cluster.ids.filter((id) => cluster.host(id).up);
      if (up.length > 0) {
        const victim = this.random.pick(cluster.ids);
        cluster.fenceNode(this.random.pick(up), `fence-${++this.sequence}`, victim);
      }
      cluster.queue.after(this.random.between(10_000, 40_000), step);
    };
    this.cluster.queue.after(this.random.between(10_000, 40_000), step);
  }
}
