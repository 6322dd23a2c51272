import type {
  AgentInfo,
  AgentLogLine,
  ClusterLinkState,
  ClusterStatus,
  CommittedConfig,
  ConsoleEvent,
  ControlAction,
  ControlResult,
} from '@quorate/protocol';
import type { FenceLevel } from './fence-events.js';

/**
 * The console's connection to one cluster's ricci agents (DESIGN.md §3, "Console↔agent").
 * Production uses `AgentClusterLinks` over the agents' console API; `unavailableClusterLinks`
 * refuses every connection (for a console that must not reach agents).
 */

/** First contact: one node's address and the agent password, as luci's "Add cluster" asked. */
export interface ClusterLinkTarget {
  readonly address: string;
  readonly port: number;
  readonly agentPassword: string;
}

/** A node as the agents report it, with the fingerprint the console pins once it reached it. */
export interface DiscoveredNode {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly agentFingerprint: string | null;
}

/**
 * A cluster as the console last heard it: the node list it reconnects through, and the agents'
 * status snapshot (the same one clustat prints from), pushed by the agent on every change.
 */
export interface ClusterSnapshot {
  readonly clusterName: string;
  readonly configVersion: number;
  readonly nodes: readonly DiscoveredNode[];
  readonly status: ClusterStatus;
}

export type ClusterLinkChange =
  | { readonly kind: 'state'; readonly state: ClusterLinkState }
  | { readonly kind: 'snapshot'; readonly snapshot: ClusterSnapshot }
  /**
   * A transition an agent pushed as it happened. Fence outcomes come from the leader (it alone
   * fences), with the level their method is in the committed cluster.conf, when the link knows it.
   */
  | {
      readonly kind: 'event';
      readonly event: ConsoleEvent;
      readonly fenceLevel: FenceLevel | null;
    };

export interface ClusterLink {
  /** The link's connection state and since when (epoch ms) it holds. */
  state(): { readonly state: ClusterLinkState; readonly since: number };
  /** The latest status the agents pushed, or null before the first one. */
  snapshot(): ClusterSnapshot | null;
  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (change: ClusterLinkChange) => void): () => void;
  /**
   * One action on the cluster, as clusvcadm, cman_tool, fence_ack_manual and ccs_tool send them
   * over the control socket; resolves with the agent's result, rejects when no agent answers.
   */
  request(action: ControlAction): Promise<ControlResult>;
  /**
   * One action asked of `node`'s own agent, for what only a node does to itself (cman_tool
   * leave); resolves with its result, rejects when that agent does not answer.
   */
  requestAt(node: string, action: ControlAction): Promise<ControlResult>;
  /** The committed cluster.conf (null before the cluster has one), from a connected agent. */
  config(): Promise<CommittedConfig | null>;
  /** A connected agent's resource agents' meta-data. */
  metadata(): Promise<AgentInfo>;
  /** The newest `limit` lines of `node`'s agent log, oldest first, asked of that node's agent. */
  logs(node: string, limit: number): Promise<readonly AgentLogLine[]>;
  /**
   * Asks the cluster to stop trusting this console's certificate (the console removes the
   * cluster); resolves true once the cluster committed it, false when it could not (no agent
   * reachable, no quorum). Never rejects. Absent from links that hold no trust.
   */
  revokeTrust?(): Promise<boolean>;
  close(): void;
}

export interface ClusterLinkFactory {
  /** False while the console has no way to reach agents: the UI explains instead of offering. */
  readonly available: boolean;
  /** Authenticates to one node with the agent password and reads the cluster from it. */
  connect(target: ClusterLinkTarget): Promise<ClusterLink>;
  /** Reconnects to a registered cluster through any of its nodes, failing over between them. */
  reconnect(nodes: readonly DiscoveredNode[]): ClusterLink;
}
