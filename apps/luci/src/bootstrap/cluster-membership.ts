// Membership changes through a running cluster's link: cluster.conf gains or loses a
// <clusternode> (config_version + 1, the core's own edits) and the leader commits it, or
// refuses with its rule and message ("in-use" while the node owns services).
import {
  applyEditWithNotes,
  type ConfigEdit,
  EditError,
  parseClusterConf,
  serializeXml,
} from '@quorate/core';
import type { ClusterLink } from '../cluster-link/cluster-link.js';

export class MembershipRefusal extends Error {
  override readonly name = 'MembershipRefusal';
  constructor(
    /** The cluster's rule (`in-use`, `not-quorate` …), `edit` for the config model's refusal. */
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CommittedChange {
  readonly text: string;
  readonly version: number;
  readonly notes: readonly string[];
}

/** Applies `edit` to the committed cluster.conf and has the cluster commit the result. */
export async function commitEdit(link: ClusterLink, edit: ConfigEdit): Promise<CommittedChange> {
  const committed = await link.config();
  if (!committed) throw new MembershipRefusal('no-config', 'the cluster has no cluster.conf yet');
  let text: string;
  let notes: readonly string[];
  try {
    const result = applyEditWithNotes(parseClusterConf(committed.text), edit);
    text = serializeXml(result.conf.doc);
    notes = result.notes;
  } catch (error) {
    if (error instanceof EditError) throw new MembershipRefusal('edit', error.reason);
    throw error;
  }
  const result = await link.request({ type: 'config-update', text });
  if (result.type !== 'config-update') {
    throw new MembershipRefusal('internal', `the agent answered a ${result.type} result`);
  }
  if (!result.accepted) throw new MembershipRefusal(result.rule, result.message);
  return { text, version: result.version, notes };
}
