import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ClusterConf,
  DEFAULT_TOKEN_MS,
  parseClusterConf,
  type VotingConfig,
  votingConfigOf,
} from '@quorate/core';
import type { PeerAddress } from '../transport/transport-types.js';

/** Who the node's peers are and how votes are weighed, from cluster.conf or the peer list. */
export interface ClusterView {
  readonly config: VotingConfig;
  readonly peers: readonly PeerAddress[];
  /** Where the view came from, for the startup log line. */
  readonly source: string;
  /** The cluster.conf text the node starts with, or null when it has none. */
  readonly clusterConf: string | null;
}

/**
 * With a cluster.conf in the config directory, its nodes, votes, `expected_votes`, totem
 * token and `wait_for_all` (or `two_node`) decide, read by the core's own rule; explicit peer addresses override how each node is reached. Without one, the
 * peers given on the command line are the cluster, one vote each.
 */
export function clusterView(
  self: string,
  configDir: string,
  port: number,
  explicitPeers: readonly PeerAddress[],
): ClusterView {
  const path = join(configDir, 'cluster.conf');
  if (!existsSync(path)) {
    // Every node may be given the same list, itself included.
    const peers = explicitPeers.filter((peer) => peer.name !== self);
    const voters = [self, ...peers.map((peer) => peer.name)].map((id) => ({ id, votes: 1 }));
    return {
      config: { voters, expectedVotes: 0, tokenMs: DEFAULT_TOKEN_MS },
      peers,
      source: 'peer list',
      clusterConf: null,
    };
  }
  const text = readFileSync(path, 'utf8');
  const conf = parseClusterConf(text);
  return {
    config: votingConfigOf(text),
    peers: peersOf(conf, self, port, explicitPeers),
    source: path,
    clusterConf: text,
  };
}

function peersOf(
  conf: ClusterConf,
  self: string,
  port: number,
  explicit: readonly PeerAddress[],
): PeerAddress[] {
  return conf.nodes
    .filter((node) => node.name !== self)
    .map(
      (node) =>
        explicit.find((peer) => peer.name === node.name) ?? {
          name: node.name,
          addresses: [node.name, ...node.altnames.map((alt) => alt.name)].map(
            (host) => `${host}:${port}`,
          ),
        },
    );
}
