import type { ClusterLinkState } from '@quorate/protocol';

/**
 * The console's connection to one cluster's ricci agents (DESIGN.md §3, "Console↔agent"). The
 * implementation over the agents' TLS WebSocket arrives with the agents' console API (issue 9);
 * until then `unavailableClusterLinks` is the only factory in production and the console shows
 * no cluster state at all rather than an invented one.
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
 * What the console needs from a cluster's status so far. Issue 9 replaces this with the
 * protocol's status snapshot (members, services, quorum as clustat shows them).
 */
export interface ClusterSnapshot {
  readonly clusterName: string;
  readonly configVersion: number;
  readonly nodes: readonly DiscoveredNode[];
}

export type ClusterLinkChange =
  | { readonly kind: 'state'; readonly state: ClusterLinkState }
  | { readonly kind: 'snapshot'; readonly snapshot: ClusterSnapshot };

export interface ClusterLink {
  /** The link's connection state and since when (epoch ms) it holds. */
  state(): { readonly state: ClusterLinkState; readonly since: number };
  /** The latest status the agents pushed, or null before the first one. */
  snapshot(): ClusterSnapshot | null;
  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (change: ClusterLinkChange) => void): () => void;
  /** One typed request to the cluster (the protocol's console requests, issue 9). */
  request(request: unknown): Promise<unknown>;
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
