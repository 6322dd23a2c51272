import type { ConfigProposalResult, VersionedConfig } from './config-proposal.js';
import { prepareConfig } from './config-proposal.js';
import { quorumVotes, votesIn } from './quorum.js';
import type { NodeId } from './types.js';
import { votingConfigOf } from './voting-rule.js';

/** `forceExpectedVotes`' answer: a proposal's result, or a refusal of the force. */
export type ForceExpectedResult =
  | ConfigProposalResult
  | {
      readonly accepted: false;
      readonly rule: 'unfenced' | 'too-few-votes';
      readonly message: string;
    };

export interface ForceExpectedInput {
  readonly self: NodeId;
  readonly expectedVotes: number;
  readonly newest: VersionedConfig | null;
  readonly voters: readonly NodeId[];
  /** Nodes heard within the token time (this node included). */
  readonly heard: readonly NodeId[];
  /** The incarnation last heard from a node (0 if never). */
  readonly incarnationOf: (id: NodeId) => number;
  /** The incarnation a confirmed fence or an acknowledgement covers, if any. */
  readonly fencedIncarnationOf: (id: NodeId) => number | undefined;
}

export type ForcePlan =
  | {
      readonly accepted: true;
      readonly text: string;
      readonly version: number;
      readonly absent: readonly NodeId[];
    }
  | Extract<ForceExpectedResult, { accepted: false }>;

function quote(nodes: readonly NodeId[]): string {
  return nodes.length === 1 ? nodes[0]! : `${nodes.slice(0, -1).join(', ')} and ${nodes.at(-1)}`;
}

/**
 * `cman_tool expected -e N` while inquorate (DESIGN.md §2): every voter this node cannot hear
 * must be fenced or acknowledged in its current incarnation. The forced cluster.conf sets
 * expected_votes to N and the absent voters' votes to 0 (else the configured total would keep
 * the quorum out of reach), with the next config_version; the nodes present must reach its quorum.
 */
export function forceExpectedPlan(input: ForceExpectedInput): ForcePlan {
  const absent = input.voters.filter((id) => id !== input.self && !input.heard.includes(id)).sort();
  const unfenced = absent.filter(
    (id) => (input.fencedIncarnationOf(id) ?? -1) < input.incarnationOf(id),
  );
  if (unfenced.length > 0) {
    const verb = unfenced.length === 1 ? 'has' : 'have';
    return {
      accepted: false,
      rule: 'unfenced',
      message: `cman_tool expected -e ${input.expectedVotes} refused while inquorate: ${quote(unfenced)} ${verb} not been fenced or acknowledged; fence ${unfenced.length === 1 ? 'it' : 'them'} or run fence_ack_manual first`,
    };
  }
  const edits = [
    {
      op: 'setClusterProperties' as const,
      changes: { cman: { expectedVotes: input.expectedVotes } },
    },
    ...absent.map((name) => ({ op: 'setNodeProperties' as const, name, votes: 0 })),
  ];
  const prepared = prepareConfig(input.newest, { kind: 'edits', edits });
  if (!prepared.ok) return { accepted: false, rule: prepared.rule, message: prepared.message };
  const forced = votingConfigOf(prepared.config.text);
  const present = votesIn(forced, input.heard);
  if (present < quorumVotes(forced)) {
    return {
      accepted: false,
      rule: 'too-few-votes',
      message: `cman_tool expected -e ${input.expectedVotes} refused: the ${present} votes present would not reach its quorum of ${quorumVotes(forced)}`,
    };
  }
  return { accepted: true, text: prepared.config.text, version: prepared.config.version, absent };
}
