import type { VersionedConfig } from './config-proposal.js';
import type { NodeId, VotingConfig } from './types.js';
import { weightedCounter } from './vote-counter.js';

/**
 * Formation rules (DESIGN.md §2), as pure decisions over what the starting nodes offer. The
 * first leader commits the highest-versioned file that a quorum (with wait_for_all, every
 * node) offers; nodes without a file receive it. `ClusterNode` gathers the offers from vote
 * messages and append responses and asks again whenever it hears a new one.
 */

/** What one node offers when the cluster forms: its own cluster.conf, or none. */
export interface FormationOffer {
  readonly node: NodeId;
  readonly config: VersionedConfig | null;
}

export type FormationDecision =
  | { readonly kind: 'commit'; readonly config: VersionedConfig; readonly offeredBy: NodeId[] }
  | { readonly kind: 'wait'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string };

function quote(nodes: readonly NodeId[]): string {
  return nodes.length === 1 ? nodes[0]! : `${nodes.slice(0, -1).join(', ')} and ${nodes.at(-1)}`;
}

/** Decides formation from the offers heard so far, judged by the startup voting configuration. */
export function chooseFormationConfig(
  offered: readonly FormationOffer[],
  voting: VotingConfig,
): FormationDecision {
  const counter = weightedCounter(voting);
  // By node name, so the same offers give the same message whoever leads.
  const offers = [...offered].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const heard = offers.map((offer) => offer.node);
  const missing = voting.voters.map((v) => v.id).filter((id) => !heard.includes(id));
  if (voting.waitForAll && missing.length > 0) {
    return { kind: 'wait', message: `wait_for_all: waiting to hear from ${quote(missing)}` };
  }
  if (counter.count(heard) < counter.quorum) {
    const votes = counter.count(heard);
    return {
      kind: 'wait',
      message: `${votes} of the ${counter.quorum} votes needed have answered`,
    };
  }
  const byVersion = new Map<number, Map<string, NodeId[]>>();
  for (const offer of offers) {
    if (!offer.config) continue;
    const texts = byVersion.get(offer.config.version) ?? new Map<string, NodeId[]>();
    texts.set(offer.config.text, [...(texts.get(offer.config.text) ?? []), offer.node]);
    byVersion.set(offer.config.version, texts);
  }
  for (const [version, texts] of byVersion) {
    if (texts.size < 2) continue;
    const groups = [...texts.values()].map(
      (nodes, i) =>
        `${quote(nodes)} ${nodes.length === 1 ? 'holds' : 'hold'} ${i === 0 ? 'one' : 'another'}`,
    );
    return {
      kind: 'conflict',
      message: `formation stopped: two different cluster.conf files carry config_version ${version}: ${groups.join(', ')}; correct one of them`,
    };
  }
  const newest = Math.max(...byVersion.keys());
  const texts = byVersion.get(newest);
  if (!texts) return { kind: 'wait', message: 'no node offers a cluster.conf yet' };
  const [text, offeredBy] = [...texts][0]!;
  return { kind: 'commit', config: { version: newest, text }, offeredBy };
}

/**
 * A node returning with a cluster.conf newer than the one the cluster committed, or with a
 * different text under the committed version, is refused, never silently merged: returns the
 * message, or null when its file is older or the same.
 */
export function localFileProblem(
  node: NodeId,
  local: VersionedConfig | null,
  committed: VersionedConfig | null,
): string | null {
  if (!local) return null;
  const version = committed?.version ?? 0;
  if (local.version === version && local.text !== committed?.text) {
    return `${node} holds a cluster.conf with config_version ${version} whose text differs from the cluster's committed version ${version}; it is not merged: move it aside to receive the committed file, or propose it with a greater version`;
  }
  if (local.version <= version) return null;
  return `${node} holds cluster.conf config_version ${local.version}, newer than the cluster's committed version ${version}; it is not merged: propose it as an update or move it aside`;
}
