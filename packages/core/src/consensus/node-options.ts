import type {
  HardState,
  LogEntry,
  NodeId,
  PlantedBug,
  RandomSource,
  Role,
  VotingConfig,
} from './types.js';

export interface ClusterNodeOptions {
  readonly id: NodeId;
  readonly config: VotingConfig;
  /** How often the host calls `tick()`. */
  readonly tickMs: number;
  readonly random: RandomSource;
  /** Durable state replayed from disk after a restart. */
  readonly restored?: { readonly hardState: HardState; readonly entries: readonly LogEntry[] };
  /** Test-only: switch off one safety mechanism (see `PlantedBug`). */
  readonly plant?: PlantedBug | null;
  readonly maxEntriesPerMessage?: number;
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
}
