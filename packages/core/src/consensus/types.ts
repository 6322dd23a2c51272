/**
 * Data types of the weighted-vote replicated log. Everything here is plain data so that a host
 * (the agent, the simulator, a transcript) can persist, send and compare it without knowing the
 * state machine's internals.
 */

import type { ConfigWrite, VersionedConfig } from './config-proposal.js';

export type NodeId = string;

/** One voter of the voting configuration. `votes` is cman's per-node weight (0 = non-voter). */
export interface VoterConf {
  readonly id: NodeId;
  readonly votes: number;
}

/**
 * The voting configuration as plain data, independent of the cluster.conf model:
 * the nodes with their votes, `expected_votes` (0 when not configured) and `<totem token>`.
 */
export interface VotingConfig {
  readonly voters: readonly VoterConf[];
  readonly expectedVotes: number;
  readonly tokenMs: number;
  /** cman's `wait_for_all` (implied by `two_node`): a cold cluster waits to see every voter once. */
  readonly waitForAll?: boolean;
  /**
   * cman's `two_node` (exactly two one-vote nodes): commits need both while both are members; a
   * lone node leads only after a recorded fence of its peer's current incarnation.
   */
  readonly twoNode?: boolean;
}

/**
 * One entry of the replicated log. `noop` marks a leader's first entry; a `command`'s data is
 * opaque to consensus; a `config` entry's data is the exact text of a validated cluster.conf;
 * a `fence` entry (JSON `FenceRecord`) is a lone two_node leader's first entry of its term.
 */
export interface LogEntry {
  readonly index: number;
  readonly term: number;
  readonly kind: 'noop' | 'command' | 'config' | 'fence';
  readonly data: string;
}

/** A fence that succeeded: `by` fenced `node` while it ran incarnation `incarnation`. */
export interface FenceRecord {
  readonly node: NodeId;
  readonly incarnation: number;
  readonly by: NodeId;
}

/** What a node asks its host to fence: the peer and the incarnation it last heard from it. */
export interface FenceRequest {
  readonly node: NodeId;
  readonly incarnation: number;
}

/**
 * Everything the log held up to `index`, so the entries up to it can be dropped: the newest
 * cluster.conf committed by then and the host's own state machine as opaque `appState`.
 */
export interface Snapshot {
  readonly index: number;
  readonly term: number;
  readonly config: VersionedConfig | null;
  readonly appState: string;
}

/** What must survive a crash: term, vote, commit index and the node's incarnation number. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId | null;
  readonly commit: number;
  readonly incarnation: number;
}

/** A record to persist (and fsync) before any message of the same `ready()` is sent. */
export type PersistRecord =
  | { readonly kind: 'hard-state'; readonly state: HardState }
  /** Append `entries` at `entries[0].index`, dropping any stored entry at or after it. */
  | { readonly kind: 'entries'; readonly entries: readonly LogEntry[] }
  | SnapshotRecord;

/**
 * Store `snapshot` in place of the old one and drop the stored entries at or below its index;
 * with `retainLog` false (a snapshot from the leader that the log does not match) drop them all.
 * It always comes first among a `ready()`'s records.
 */
export interface SnapshotRecord {
  readonly kind: 'snapshot';
  readonly snapshot: Snapshot;
  readonly retainLog: boolean;
}

interface MessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  /** The sender's incarnation: a restarted node is a new incarnation. */
  readonly incarnation: number;
}

export interface VoteRequest extends MessageBase {
  readonly type: 'vote-request';
  readonly preVote: boolean;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Formation: the sender's own cluster.conf (null: it has none) while no config is committed. */
  readonly offer?: VersionedConfig | null;
}

export interface VoteResponse extends MessageBase {
  readonly type: 'vote-response';
  readonly preVote: boolean;
  readonly granted: boolean;
  readonly offer?: VersionedConfig | null;
  /** The voter's tick when it answered: the new leader's first append echoes it. */
  readonly sentTick?: number;
}

/** A clean leave (`cman_tool leave`): the sender's incarnation stops; it needs no fencing. */
export interface LeaveNotice extends MessageBase {
  readonly type: 'leave-notice';
}

/** Entries to append after `prevIndex`; with no entries it is the leader's heartbeat. */
export interface AppendRequest extends MessageBase {
  readonly type: 'append-request';
  readonly prevIndex: number;
  readonly prevTerm: number;
  readonly entries: readonly LogEntry[];
  readonly commit: number;
  /** The leader's view of the members, so followers agree on membership with their controller. */
  readonly members: readonly NodeId[];
  /** The leader's tick when it sent this; echoed back so its lease counts from the send. */
  readonly sentTick: number;
  /**
   * The recipient's `sentTick` from its newest answer the leader had heard when it sent this
   * (-1: none yet): the leader was alive after that tick of the follower's own clock, however
   * late this message arrives. A follower's lease counts from it.
   */
  readonly echoTick: number;
}

export interface AppendResponse extends MessageBase {
  readonly type: 'append-response';
  readonly success: boolean;
  /** On success the highest index known to match; on refusal a hint where to retry from. */
  readonly matchIndex: number;
  /** The `sentTick` of the request this answers. */
  readonly echoTick: number;
  /** The follower's tick when it answered, echoed in the leader's next request to it. */
  readonly sentTick: number;
  /**
   * Formation: the sender's own cluster.conf (null: none) while its log holds none, so that a
   * leader elected without it still hears its file.
   */
  readonly offer?: VersionedConfig | null;
}

/** A leader's compacted state for a follower that lags behind its log; answered by an append-response. */
export interface SnapshotRequest extends MessageBase {
  readonly type: 'install-snapshot';
  readonly snapshot: Snapshot;
  readonly members: readonly NodeId[];
  readonly sentTick: number;
  /** As in `AppendRequest`. */
  readonly echoTick: number;
}

export type PeerMessage =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | SnapshotRequest
  | LeaveNotice;

/** An administrator's or service's request to append to the log (only a leader accepts). */
export interface ProposeInput {
  readonly type: 'propose';
  readonly data: string;
}

/** The host's fence device succeeded against `node` running `incarnation` (power is off). */
export interface FenceConfirmedInput {
  readonly type: 'fence-confirmed';
  readonly node: NodeId;
  readonly incarnation: number;
}

/**
 * `fence_ack_manual`: an administrator vouches that `node` is down, whatever incarnation this
 * node last heard from it. Counts as a fence of that incarnation for `forceExpectedVotes`.
 */
export interface FenceAcknowledgedInput {
  readonly type: 'fence-acknowledged';
  readonly node: NodeId;
}

/** The host stops this node cleanly (ricci's SIGTERM, `cman_tool leave`). */
export interface LeaveInput {
  readonly type: 'leave';
}

export type NodeInput =
  | PeerMessage
  | ProposeInput
  | FenceConfirmedInput
  | FenceAcknowledgedInput
  | LeaveInput;

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Events for observers (console, logs, the simulator's checkers). */
export type ObserverEvent =
  | {
      readonly type: 'membership-changed';
      readonly members: readonly NodeId[];
      readonly lost: readonly NodeId[];
      readonly joined: readonly NodeId[];
      /** Members seen with a new incarnation: they restarted and lost their volatile state. */
      readonly restarted: readonly NodeId[];
      /** Nodes gone by a clean leave (a subset of `lost`): they need no fencing. */
      readonly left: readonly NodeId[];
    }
  | {
      readonly type: 'quorum-changed';
      readonly quorate: boolean;
      readonly votes: number;
      readonly expectedVotes: number;
      readonly quorum: number;
    }
  | { readonly type: 'leader-changed'; readonly leader: NodeId | null; readonly term: number }
  | { readonly type: 'entry-committed'; readonly entry: LogEntry }
  /** Formation cannot choose a cluster.conf (two files share a version); names the nodes. */
  | { readonly type: 'formation-stopped'; readonly message: string }
  /** This node's own cluster.conf is newer than the committed one: it does not join. */
  | { readonly type: 'join-refused'; readonly message: string }
  /** Audit: `cman_tool expected -e` forced while inquorate; `absent` were fenced or acknowledged. */
  | {
      readonly type: 'expected-votes-forced';
      readonly expectedVotes: number;
      readonly version: number;
      readonly absent: readonly NodeId[];
    };

/** Everything the host must do now, in order: persist, then send, then apply and publish. */
export interface Ready {
  readonly persist: readonly PersistRecord[];
  readonly messages: readonly PeerMessage[];
  /** A snapshot to load before `committed` (at startup, or sent by the leader), else null. */
  readonly snapshot: Snapshot | null;
  /** Newly committed entries, in log order, for the host's state machine. */
  readonly committed: readonly LogEntry[];
  /** cluster.conf files to write atomically, oldest first: each committed version's exact text. */
  readonly configWrites: readonly ConfigWrite[];
  readonly events: readonly ObserverEvent[];
}

/** The seeded random source a host injects for election jitter. */
export interface RandomSource {
  /** An integer in [0, bound). */
  nextInt(bound: number): number;
}

/**
 * Safety mechanisms that a simulator may switch off to prove its checkers notice. Production
 * hosts never set these; each name matches `pnpm sim --plant NAME`.
 */
export type PlantedBug =
  | 'vote-without-log-check'
  | 'commit-without-quorum'
  | 'unweighted-votes'
  | 'skip-check-quorum'
  | 'forget-vote'
  | 'commit-old-term'
  | 'vote-during-lease'
  /** Voting-set changes take effect in one step, without the old configuration's quorum. */
  | 'single-step-membership'
  /** Quorum computed from the votes of the nodes this node currently sees, not all configured. */
  | 'quorum-from-visible-votes'
  /** A lone two_node node leads without first recording a fence of its peer. */
  | 'two-node-without-fence';

export const PLANTED_BUGS: readonly PlantedBug[] = [
  'vote-without-log-check',
  'commit-without-quorum',
  'unweighted-votes',
  'skip-check-quorum',
  'forget-vote',
  'commit-old-term',
  'vote-during-lease',
  'single-step-membership',
  'quorum-from-visible-votes',
  'two-node-without-fence',
];
