import type { VersionedConfig } from './config-proposal.js';
import type {
  FenceRequest,
  HardState,
  LogEntry,
  NodeId,
  PlantedBug,
  RandomSource,
  Role,
  Snapshot,
  VotingConfig,
} from './types.js';

export interface ClusterNodeOptions {
  readonly id: NodeId;
  readonly config: VotingConfig;
  /** How often the host calls `tick()`. */
  readonly tickMs: number;
  readonly random: RandomSource;
  /** Durable state replayed from disk after a restart. */
  readonly restored?: {
    readonly hardState: HardState;
    /** The stored entries, which follow the snapshot's index when there is one. */
    readonly entries: readonly LogEntry[];
    readonly snapshot?: Snapshot;
  };
  /** The cluster.conf text this node starts with, if it has one: the baseline for versions. */
  readonly clusterConf?: string;
  /** Test-only: switch off one safety mechanism (see `PlantedBug`). */
  readonly plant?: PlantedBug | null;
  readonly maxEntriesPerMessage?: number;
  /**
   * The host's own rules for a new cluster.conf, asked by the leader after the file's own
   * rules passed and before it is appended: a message refuses it (rule `in-use`). The service
   * controller refuses removing a node that still owns services.
   */
  readonly configGuard?: (next: VersionedConfig) => string | undefined;
}

export interface NodeStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly leader: NodeId | null;
  readonly commit: number;
  readonly lastIndex: number;
  readonly quorate: boolean;
  readonly members: readonly NodeId[];
  readonly incarnation: number;
  /** The `config_version` of the newest cluster.conf this node applied (0 for none yet). */
  readonly configVersion: number;
  /** The index the node's snapshot covers (0 without one): its log starts after it. */
  readonly snapshotIndex: number;
  /** A change of the voting set is in flight: decisions need the old and the new quorum. */
  readonly joint: boolean;
  /** Whether this node's votes count in the configuration(s) in force. */
  readonly voter: boolean;
  /** Every node whose votes count in the configuration(s) in force, as this node sees it. */
  readonly voters: readonly NodeId[];
  /** Every node listed in the configuration(s) in force, voting or not (votes="0"). */
  readonly listed: readonly NodeId[];
  /** Held back by wait_for_all: this process has not yet seen every voter of a cold cluster. */
  readonly waitingForAll: boolean;
  /**
   * two_node: this lone node wants to lead and asks its host to fence the peer's incarnation;
   * the host answers `step({ type: 'fence-confirmed', node, incarnation })` once it succeeded.
   */
  readonly fenceNeeded: FenceRequest | null;
  /** Formation cannot choose a cluster.conf (see the `formation-stopped` event), else null. */
  readonly formationStopped: string | null;
  /** This node refused to join: its own cluster.conf is newer than the committed one. */
  readonly joinRefused: string | null;
  /** The node left cleanly (`step({ type: 'leave' })`) and does nothing more. */
  readonly left: boolean;
}
