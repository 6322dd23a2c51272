import type { NodeId, ObserverEvent } from './types.js';

type MembershipEvent = Extract<ObserverEvent, { type: 'membership-changed' }>;

/**
 * Failure detection from message arrival: a peer is a member while something it sent arrived
 * within one token time. A follower with a current leader adopts the leader's view instead, so
 * the whole cluster agrees with its designated controller. Incarnations come with every
 * message; a higher one means the peer restarted.
 */
export class MembershipView {
  private readonly lastHeardTick = new Map<NodeId, number>();
  private readonly incarnations = new Map<NodeId, number>();
  private readonly restartedSinceRefresh = new Set<NodeId>();
  /** Peers that left cleanly, with the incarnation that left (a newer one is a new member). */
  private readonly leftIncarnation = new Map<NodeId, number>();
  /** When each of them left, by the local tick. */
  private readonly leftAtTick = new Map<NodeId, number>();
  private current: readonly NodeId[];
  /** What the last refresh looked at; an unchanged input needs no recomputation. */
  private refreshedAt = -1;
  private refreshedLeaderView: readonly NodeId[] | null = null;
  private dirty = true;

  constructor(
    private readonly self: NodeId,
    private readonly tokenTicks: number,
  ) {
    this.current = [self];
  }

  members(): readonly NodeId[] {
    return this.current;
  }

  /** A message from `from` arrived at local tick `now`. */
  heard(from: NodeId, incarnation: number, now: number): void {
    const left = this.leftIncarnation.get(from);
    // A message the leaving incarnation sent before its notice, arriving late, is no sign of life.
    if (left !== undefined && incarnation <= left) return;
    this.forgetLeave(from);
    const known = this.incarnations.get(from);
    if (known !== undefined && incarnation > known) this.restartedSinceRefresh.add(from);
    if (known === undefined || incarnation > known) {
      this.incarnations.set(from, incarnation);
      this.dirty = true;
    }
    if (!this.current.includes(from)) this.dirty = true;
    this.lastHeardTick.set(from, now);
  }

  /** `from` left cleanly (`cman_tool leave`): it is gone at once, and reported as `left`. */
  left(from: NodeId, incarnation: number, now: number): void {
    if (incarnation < (this.incarnations.get(from) ?? 0)) return;
    this.incarnations.set(from, incarnation);
    this.leftIncarnation.set(from, incarnation);
    this.leftAtTick.set(from, now);
    this.lastHeardTick.delete(from);
    this.dirty = true;
  }

  incarnationOf(id: NodeId): number | undefined {
    return this.incarnations.get(id);
  }

  /** Whether something `id` sent arrived within the last `ticks` ticks. */
  heardWithin(id: NodeId, now: number, ticks: number): boolean {
    const tick = this.lastHeardTick.get(id);
    return tick !== undefined && now - tick < ticks;
  }

  /** Peers whose last message arrived within the token time, plus this node. */
  directlyHeard(now: number): NodeId[] {
    const ids = [this.self];
    for (const [id, tick] of this.lastHeardTick) {
      if (now - tick < this.tokenTicks) ids.push(id);
    }
    return ids.sort();
  }

  /**
   * A follower hears nothing from another follower (each talks to its leader only), so a peer
   * that left and started again is back once the leader lists it two token times after the
   * leave: the leader dropped it on the same notice (or, missing that, a token later), so only a
   * new incarnation puts it back in the leader's list by then.
   */
  private backAccordingTo(leaderView: readonly NodeId[], now: number): void {
    for (const id of leaderView) {
      const leftAt = this.leftAtTick.get(id);
      if (leftAt !== undefined && now - leftAt >= 2 * this.tokenTicks) this.forgetLeave(id);
    }
  }

  private forgetLeave(id: NodeId): void {
    this.leftIncarnation.delete(id);
    this.leftAtTick.delete(id);
  }

  /** Recomputes the view; returns the event to publish when it changed. */
  refresh(now: number, leaderView: readonly NodeId[] | null): MembershipEvent | null {
    if (!this.dirty && now === this.refreshedAt && leaderView === this.refreshedLeaderView) {
      return null;
    }
    this.dirty = false;
    this.refreshedAt = now;
    this.refreshedLeaderView = leaderView;
    if (leaderView) this.backAccordingTo(leaderView, now);
    const next = (
      leaderView ? [...new Set([...leaderView, this.self])].sort() : this.directlyHeard(now)
    ).filter((id) => !this.leftIncarnation.has(id));
    const restarted = [...this.restartedSinceRefresh].filter((id) => next.includes(id)).sort();
    this.restartedSinceRefresh.clear();
    const before = new Set(this.current);
    const after = new Set(next);
    const lost = this.current.filter((id) => !after.has(id));
    const joined = next.filter((id) => !before.has(id));
    if (lost.length === 0 && joined.length === 0 && restarted.length === 0) return null;
    this.current = next;
    const left = lost.filter((id) => this.leftIncarnation.has(id));
    return { type: 'membership-changed', members: next, lost, joined, restarted, left };
  }
}
