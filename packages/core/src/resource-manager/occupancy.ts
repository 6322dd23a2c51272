// Which services are active on which node: what `exclusive` and colocation rules look at.
// Counts are kept by the node's index in `<clusternodes>`, as placement reads them for every
// node of every service.
import { activeStates, type ResourceManagerState } from './model.js';
import type { RmConfig } from './rm-config.js';

const none: readonly number[] = [];

export class Occupancy {
  /** Service id → the node ranks it occupies (its owner, and the target of a move in flight). */
  private readonly ranksOf = new Map<string, number[]>();
  private readonly counts: number[];
  private readonly exclusives: number[];
  /** Exclusive services occupying any node: when 0, exclusivity checks are skipped. */
  exclusiveTotal = 0;

  constructor(
    private readonly config: RmConfig,
    state: ResourceManagerState,
  ) {
    this.counts = config.nodes.map(() => 0);
    this.exclusives = config.nodes.map(() => 0);
    for (const s of Object.values(state.services)) {
      if (s.owner === undefined || !activeStates.has(s.state)) continue;
      this.occupy(s.id, s.owner);
      if (s.pending && 'node' in s.pending) this.occupy(s.id, s.pending.node);
    }
  }

  occupy(service: string, node: string): void {
    const rank = this.config.nodeRank.get(node);
    if (rank === undefined) return;
    const ranks = this.ranksOf.get(service);
    if (ranks?.includes(rank)) return;
    if (ranks) ranks.push(rank);
    else this.ranksOf.set(service, [rank]);
    this.counts[rank]!++;
    if (this.config.byId.get(service)?.exclusive) {
      this.exclusives[rank]!++;
      this.exclusiveTotal++;
    }
  }

  release(service: string): void {
    const ranks = this.ranksOf.get(service);
    if (!ranks) return;
    const exclusive = this.config.byId.get(service)?.exclusive ?? false;
    for (const rank of ranks) {
      this.counts[rank]!--;
      if (exclusive) {
        this.exclusives[rank]!--;
        this.exclusiveTotal--;
      }
    }
    this.ranksOf.delete(service);
  }

  /** The ranks of the nodes `service` occupies. */
  ranks(service: string): readonly number[] {
    return this.ranksOf.get(service) ?? none;
  }

  /** Whether `service` occupies `node`. */
  on(service: string, node: string): boolean {
    const rank = this.config.nodeRank.get(node);
    return rank !== undefined && this.ranks(service).includes(rank);
  }

  /** Services on the node of rank `rank`, not counting `except`. */
  countAt(rank: number, except: string): number {
    return this.counts[rank]! - (this.ranks(except).includes(rank) ? 1 : 0);
  }

  /** Exclusive services on the node of rank `rank`, not counting `except`. */
  exclusiveCountAt(rank: number, except: string): number {
    const own = this.config.byId.get(except)?.exclusive && this.ranks(except).includes(rank);
    return this.exclusives[rank]! - (own ? 1 : 0);
  }
}
