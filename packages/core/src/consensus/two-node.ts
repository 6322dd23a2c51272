import type { RaftLog } from './raft-log.js';
import type { FenceRecord, NodeId, VotingConfig } from './types.js';

/**
 * two_node (DESIGN.md §2) as pure decisions over the log.
 *
 * Normally both votes are needed (`floor(max(1, 2) / 2) + 1 = 2`). A lone node may lead with its
 * own vote only in a term whose first entry is a `fence` entry: a recorded, successful fence of
 * its peer's current incarnation. Such a lone term is safe only if the lone node holds every
 * entry ever committed, which `holdsEveryCommit` decides from the log alone.
 */

/** The other node of a two_node configuration that `self` belongs to, or null. */
export function twoNodePeer(config: VotingConfig, self: NodeId): NodeId | null {
  if (!config.twoNode || config.voters.length !== 2) return null;
  if (!config.voters.every((voter) => voter.votes === 1)) return null;
  if (!config.voters.some((voter) => voter.id === self)) return null;
  return config.voters.find((voter) => voter.id !== self)?.id ?? null;
}

export function fenceEntryData(record: FenceRecord): string {
  return JSON.stringify({ node: record.node, incarnation: record.incarnation, by: record.by });
}

/** The record of a `fence` entry's data, or null when it is not one. */
export function parseFenceEntry(data: string): FenceRecord | null {
  try {
    const parsed = JSON.parse(data) as Partial<FenceRecord>;
    const { node, incarnation, by } = parsed;
    if (typeof node !== 'string' || typeof by !== 'string') return null;
    if (typeof incarnation !== 'number' || !Number.isInteger(incarnation)) return null;
    return { node, incarnation, by };
  } catch {
    return null;
  }
}

/** What `holdsEveryCommit` judges: the log, and this process's term, vote and starting term. */
export interface TakeOverView {
  readonly log: RaftLog;
  readonly self: NodeId;
  readonly peer: NodeId;
  readonly term: number;
  readonly vote: NodeId | null;
  /** The durable term when this process started. */
  readonly startTerm: number;
}

/**
 * Whether `self` may take over alone: its log holds every committed entry. The term T of its
 * last entry must have begun after this process started (T > its starting term) with a `noop`
 * or with `self`'s own fence. A `noop` term was elected with both votes, this process's among
 * them (an earlier incarnation's vote would have left a term ≥ T on disk), so its leader held
 * every earlier commit and each commit in T needed this node's acknowledgement. No newer term
 * may have committed anything `self` lacks: its current term is T, or it voted in its current
 * term (for itself, or for its peer, whose leadership then needed its vote, so was not lone).
 * A fenced node that comes back therefore waits for an election with its peer before it may
 * take over again. A term whose start was compacted away counts as unknown, hence false.
 */
export function holdsEveryCommit(view: TakeOverView): boolean {
  const { log, self, peer, term, vote } = view;
  const lastTerm = log.lastTerm();
  if (lastTerm <= view.startTerm) return false;
  if (lastTerm !== term && vote !== self && vote !== peer) return false;
  let first = log.lastIndex();
  while (first - 1 > log.snapshotIndex() && log.termAt(first - 1) === lastTerm) first--;
  if (log.termAt(first - 1) === lastTerm) return false;
  const entry = log.entryAt(first);
  if (entry?.kind === 'noop') return true;
  return entry?.kind === 'fence' && parseFenceEntry(entry.data)?.by === self;
}
