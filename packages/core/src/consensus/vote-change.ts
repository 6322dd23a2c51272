// cman_tool's runtime vote changes as cluster.conf edits (DESIGN.md §2: votes and expected votes
// live in the committed configuration, so `votes -v`, `leave remove` and a returning node's
// votes are config proposals like any other, and go through joint consensus when the voting set
// changes). Pure: the host proposes the resulting file; the core validates and commits it.
import { applyEdits } from '../cluster-conf/edit.js';
import { type ConfigEdit, EditError } from '../cluster-conf/edit-model.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { withAttr } from '../xml/xml-tree.js';
import { parseConfMemo } from './parse-memo.js';
import { quorumVotes, votesIn } from './quorum.js';
import type { NodeId } from './types.js';
import { votingConfigOf } from './voting-rule.js';

/** What `leave remove` took away, kept by the leaving node so that it can ask for it back. */
export interface RemovedVotes {
  readonly node: NodeId;
  /** The node's votes before it left. */
  readonly votes: number;
  /** How much `expected_votes` was lowered (0 when it was unset or low enough already). */
  readonly expectedLoweredBy: number;
}

/** The cluster.conf to propose (one config_version up), or null when nothing changes. */
export type VoteChangePlan =
  | { readonly ok: true; readonly text: string | null }
  | { readonly ok: false; readonly message: string };

export type RemoveVotesPlan =
  | { readonly ok: true; readonly text: string | null; readonly removed: RemovedVotes }
  | { readonly ok: false; readonly message: string };

/**
 * The edits applied to `text` as one change: config_version + 1 however many edits (applying
 * each edit on its own would count one version per edit). The validator judges it when proposed.
 */
function changed(text: string, edits: readonly ConfigEdit[]): VoteChangePlan {
  if (edits.length === 0) return { ok: true, text: null };
  const conf = parseConfMemo(text);
  try {
    const edited = applyEdits(conf, edits);
    const version = String((conf.configVersion ?? 0) + 1);
    const root = withAttr(edited.doc.root, 'config_version', version);
    return { ok: true, text: serializeXml({ ...edited.doc, root }) };
  } catch (e) {
    if (!(e instanceof EditError)) throw e;
    return { ok: false, message: e.message };
  }
}

function nodeIn(text: string, node: NodeId) {
  return parseConfMemo(text).nodes.find((n) => n.name === node);
}

/** `cman_tool votes -v N` on `node`: its `votes` attribute, unless nothing would change. */
export function setVotesPlan(text: string, node: NodeId, votes: number): VoteChangePlan {
  if (!Number.isInteger(votes) || votes < 0) {
    return { ok: false, message: `votes: ${votes} is not a non-negative integer` };
  }
  const conf = nodeIn(text, node);
  if (!conf) return { ok: false, message: `${node} is not a node of the committed cluster.conf` };
  if (conf.votes === votes) return { ok: true, text: null };
  return changed(text, [{ op: 'setNodeProperties', name: node, votes }]);
}

/**
 * `cman_tool leave remove` on `node`: its votes become 0, so they count towards nobody's quorum,
 * and `expected_votes`, when set and above the new total, is lowered by them (cman lowered the
 * expected votes of those who stayed).
 */
export function removeVotesPlan(text: string, node: NodeId): RemoveVotesPlan {
  const conf = nodeIn(text, node);
  if (!conf) return { ok: false, message: `${node} is not a node of the committed cluster.conf` };
  const parsed = parseConfMemo(text);
  const total = parsed.nodes.reduce((sum, n) => sum + n.votes, 0) - conf.votes;
  const expected = parsed.cman?.expectedVotes;
  const lowered =
    expected !== undefined && !parsed.cman?.twoNode && expected > total
      ? Math.min(conf.votes, expected - 1)
      : 0;
  const removed = { node, votes: conf.votes, expectedLoweredBy: lowered };
  if (conf.votes === 0) return { ok: true, text: null, removed };
  const edits: ConfigEdit[] = [{ op: 'setNodeProperties', name: node, votes: 0 }];
  if (lowered > 0) {
    edits.push({
      op: 'setClusterProperties',
      changes: { cman: { expectedVotes: (expected ?? 0) - lowered } },
    });
  }
  const plan = changed(text, edits);
  return plan.ok ? { ...plan, removed } : plan;
}

/**
 * The votes a returning node gets back: what `leave remove` took, unless an administrator
 * has given it votes since (then nothing is changed).
 */
export function restoreVotesPlan(text: string, removed: RemovedVotes): VoteChangePlan {
  const conf = nodeIn(text, removed.node);
  if (!conf) {
    return { ok: false, message: `${removed.node} is not a node of the committed cluster.conf` };
  }
  if (conf.votes !== 0 || removed.votes === 0) return { ok: true, text: null };
  const edits: ConfigEdit[] = [
    { op: 'setNodeProperties', name: removed.node, votes: removed.votes },
  ];
  const expected = parseConfMemo(text).cman?.expectedVotes;
  if (removed.expectedLoweredBy > 0 && expected !== undefined) {
    edits.push({
      op: 'setClusterProperties',
      changes: { cman: { expectedVotes: expected + removed.expectedLoweredBy } },
    });
  }
  return changed(text, edits);
}

/**
 * Refuses a change after which the members present (`members`, this node included) would not
 * hold the new configuration's quorum: the cluster would block itself.
 */
export function quorumReachableAfter(
  newText: string,
  members: readonly NodeId[],
): { readonly ok: true } | { readonly ok: false; readonly message: string } {
  const config = votingConfigOf(newText);
  const present = votesIn(config, members);
  const quorum = quorumVotes(config);
  if (present >= quorum) return { ok: true };
  return {
    ok: false,
    message: `the members' ${present} votes would not reach the new quorum of ${quorum}, so the cluster would block`,
  };
}
