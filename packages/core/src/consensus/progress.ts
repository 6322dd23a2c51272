import type { NodeId } from './types.js';
import type { VoteCounter } from './vote-counter.js';

/** What a leader knows of one follower's log. */
export interface Progress {
  /** The next index to send. */
  next: number;
  /** The highest index known to match the leader's log. */
  match: number;
}

/** The leader's per-follower replication state. */
export class ProgressTracker {
  private readonly byPeer = new Map<NodeId, Progress>();

  reset(peers: readonly NodeId[], lastIndex: number): void {
    this.byPeer.clear();
    for (const peer of peers) this.byPeer.set(peer, { next: lastIndex + 1, match: 0 });
  }

  /** Tracks exactly `peers`: new ones start at `lastIndex + 1`, dropped ones are forgotten. */
  track(peers: readonly NodeId[], lastIndex: number): NodeId[] {
    const wanted = new Set(peers);
    for (const peer of this.byPeer.keys()) if (!wanted.has(peer)) this.byPeer.delete(peer);
    const added = peers.filter((peer) => !this.byPeer.has(peer));
    for (const peer of added) this.byPeer.set(peer, { next: lastIndex + 1, match: 0 });
    return added;
  }

  clear(): void {
    this.byPeer.clear();
  }

  get(peer: NodeId): Progress | undefined {
    return this.byPeer.get(peer);
  }

  /**
   * The highest index that a quorum of votes has stored: walk the match indexes from the
   * highest down, adding each holder's votes until they reach the quorum (0 if they never do).
   */
  quorumMatch(self: NodeId, selfLastIndex: number, counter: VoteCounter): number {
    const holders: Array<{ id: NodeId; match: number }> = [{ id: self, match: selfLastIndex }];
    for (const [peer, progress] of this.byPeer) holders.push({ id: peer, match: progress.match });
    holders.sort((a, b) => b.match - a.match);
    let votes = 0;
    for (const holder of holders) {
      votes += counter.weightOf(holder.id);
      if (votes >= counter.quorum) return holder.match;
    }
    return 0;
  }
}
