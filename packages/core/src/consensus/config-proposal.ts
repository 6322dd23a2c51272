import { applyEdits } from '../cluster-conf/edit.js';
import { type ConfigEdit, EditError } from '../cluster-conf/edit-model.js';
import { validateClusterConfText } from '../cluster-conf/validate.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { parseConfMemo } from './parse-memo.js';

/** A cluster.conf the log has committed (or a node started with): its version and exact text. */
export interface VersionedConfig {
  readonly version: number;
  readonly text: string;
}

/** A change to cluster.conf: a whole file (an upload, a rollback) or edits to the newest one. */
export type ConfigProposal =
  | { readonly kind: 'file'; readonly text: string }
  | { readonly kind: 'edits'; readonly edits: readonly ConfigEdit[] };

/** Why a proposal was refused; `rule` is stable for programs, `message` is for people. */
export type ConfigRefusalRule =
  | 'not-quorate'
  | 'not-leader'
  | 'not-runnable'
  | 'version-not-greater'
  | 'edit-refused'
  | 'no-config'
  | 'change-in-progress'
  | 'in-use'
  /** Forwarded to a leader that changed or did not answer in time: nothing was decided. */
  | 'try-again';

export type ConfigProposalResult =
  | { readonly accepted: true; readonly index: number; readonly version: number }
  | { readonly accepted: false; readonly rule: ConfigRefusalRule; readonly message: string };

/** One node's instruction to write cluster.conf: the exact committed text of `version`. */
export interface ConfigWrite {
  readonly index: number;
  readonly version: number;
  readonly text: string;
}

/** ccs_tool update's wording (RHCS cluster 2, `update.c`). */
export const NOT_QUORATE_MESSAGE = 'Unable to honor update request. Cluster is not quorate.';

export function versionNotGreaterMessage(current: number, proposed: number): string {
  return (
    'Proposed updated config file does not have greater version number.\n' +
    `  Current config_version :: ${current}\n` +
    `  Proposed config_version:: ${proposed}`
  );
}

export type PreparedConfig =
  | { readonly ok: true; readonly config: VersionedConfig }
  | { readonly ok: false; readonly rule: ConfigRefusalRule; readonly message: string };

/**
 * Turns a proposal into the exact text to commit, judged against `newest` (the newest config
 * this node's log holds, committed or not, so concurrent proposals are ordered by the log):
 * edits apply to `newest`; the result must be runnable and its version greater.
 */
export function prepareConfig(
  newest: VersionedConfig | null,
  proposal: ConfigProposal,
): PreparedConfig {
  let text: string;
  if (proposal.kind === 'file') {
    text = proposal.text;
  } else {
    if (!newest) {
      return { ok: false, rule: 'no-config', message: 'there is no cluster.conf to edit yet' };
    }
    try {
      text = serializeXml(applyEdits(parseConfMemo(newest.text), proposal.edits).doc);
    } catch (e) {
      if (!(e instanceof EditError)) throw e;
      return { ok: false, rule: 'edit-refused', message: e.message };
    }
  }
  const { errors } = validateClusterConfText(text, 'runnable');
  if (errors.length > 0) {
    const details = errors.map((issue) => `${issue.path}: ${issue.message} (${issue.rule})`);
    return {
      ok: false,
      rule: 'not-runnable',
      message: `the proposed cluster.conf is not runnable: ${details.join('; ')}`,
    };
  }
  // Runnable validation requires config_version ≥ 1, so it is present here.
  const version = parseConfMemo(text).configVersion ?? 0;
  if (newest && version <= newest.version) {
    return {
      ok: false,
      rule: 'version-not-greater',
      message: versionNotGreaterMessage(newest.version, version),
    };
  }
  return { ok: true, config: { version, text } };
}

/** The version of a committed config entry's text (entries were validated before they were appended). */
export function configFromEntryData(text: string): VersionedConfig {
  return { version: parseConfMemo(text).configVersion ?? 0, text };
}
