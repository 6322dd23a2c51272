import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ClusterConf,
  DEFAULT_TOKEN_MS,
  parseClusterConf,
  type VotingConfig,
} from '@quorate/core';
import type { PeerAddress } from '../transport/transport-types.js';

/** Who the node's peers are and how votes are weighed, from cluster.conf or the peer list. */
export interface ClusterView {
  readonly config: VotingConfig;
  readonly peers: readonly PeerAddress[];
  /** Where the view came from, for the startup log line. */
  readonly source: string;
}

/**
 * With a cluster.conf in the config directory, its nodes, votes, `expected_votes` and totem
 * token decide; explicit peer addresses override how each node is reached. Without one, the
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
    };
  }
  const conf = parseClusterConf(readFileSync(path, 'utf8'));
  return {
    config: votingConfigOf(conf),
    peers: peersOf(conf, self, port, explicitPeers),
    source: path,
  };
}

export function votingConfigOf(conf: ClusterConf): VotingConfig {
  return {
    voters: conf.nodes.map((node) => ({ id: node.name, votes: node.votes })),
    expectedVotes: conf.cman?.expectedVotes ?? 0,
    tokenMs: conf.totem?.tokenMs ?? DEFAULT_TOKEN_MS,
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
