import {
  type ClusterConf,
  commitIssues,
  EditError,
  parseClusterConf,
  restoreRedactedSecrets,
  validateClusterConfText,
  versionNotGreaterMessage,
  votingChange,
  withConfigVersion,
} from '@quorate/core';
import type { ConfigFileBody, ConfigIssue } from '@quorate/protocol';
import type { ClusterLink } from '../cluster-link/cluster-link.js';
import { ConsoleError } from '../errors/console-error.js';
import type { ConfigVersionRecord } from '../store/index.js';
import { agentForms } from './agent-forms.js';
import { committedBase, type PlannedChange, requireLink } from './config-editor.js';

/**
 * A whole cluster.conf as a change: an uploaded file, or an old version rolled back to. Both
 * are judged whole by the validator at the runnable level (the agents judge them again), so a
 * broken file is refused with every error, each naming its place and rule, and nothing is sent.
 */

export type PlannedFile =
  | { readonly ok: true; readonly change: PlannedChange }
  | { readonly ok: false; readonly errors: readonly ConfigIssue[] };

const refused = (errors: readonly ConfigIssue[]): PlannedFile => ({ ok: false, errors });

function versionIssue(current: number, proposed: number | undefined): ConfigIssue[] {
  if (proposed !== undefined && proposed > current) return [];
  return [
    {
      severity: 'error',
      path: '/cluster/@config_version',
      rule: 'version-not-greater',
      message: versionNotGreaterMessage(current, proposed ?? 0).replace(/\n\s*/g, ' '),
    },
  ];
}

/**
 * What the console does not do for a file that adds or removes nodes (the agents apply the
 * voting change by joint consensus themselves): install or uninstall an agent. Said in notes.
 */
function membershipNotes(before: ClusterConf, after: ClusterConf): string[] {
  const change = votingChange(before, after);
  const notes: string[] = [];
  if (change && change.addedNodes.length > 0) {
    notes.push(
      `${change.addedNodes.join(', ')} join only where an agent with this cluster's certificate ` +
        'runs (Add node on the cluster page installs one); until then they count as absent voters',
    );
  }
  if (change && change.removedNodes.length > 0) {
    notes.push(
      `${change.removedNodes.join(', ')} leave the configuration: their peers stop trusting them, ` +
        'but their agents keep running until the node is deleted (Delete node uninstalls it)',
    );
  }
  return notes;
}

/** An uploaded file against the committed one: the validator's errors, or the change. */
export async function planUpload(
  cluster: string,
  link: ClusterLink | undefined,
  body: ConfigFileBody,
  nowMs: number,
): Promise<PlannedFile> {
  const live = requireLink(cluster, link);
  const base = await committedBase(cluster, live, body.baseVersion);
  const { catalog } = await agentForms(cluster, live, nowMs);
  // Not XML, or not a cluster.conf the validator can read at all: its errors are the answer.
  const checked = validateClusterConfText(body.text, 'runnable', catalog);
  const before = parseClusterConf(base.text);
  let after: ClusterConf;
  try {
    after = restoreRedactedSecrets(parseClusterConf(body.text), before);
  } catch (error) {
    if (error instanceof EditError) {
      return refused([
        ...checked.errors,
        { severity: 'error', path: error.path, rule: 'redacted-secret', message: error.reason },
      ]);
    }
    if (checked.errors.length > 0) return refused(checked.errors);
    throw error;
  }
  const errors = [
    ...versionIssue(base.version, after.configVersion),
    ...commitIssues(after, catalog),
  ];
  if (errors.length > 0) return refused(errors);
  return { ok: true, change: { base, before, after, notes: membershipNotes(before, after) } };
}

/**
 * A recorded version as the next one: its text with config_version + 1 of the committed file.
 * An old file the cluster could not run now (a fence agent since removed, …) is refused.
 */
export async function planRollback(
  cluster: string,
  link: ClusterLink | undefined,
  target: ConfigVersionRecord,
  baseVersion: number,
  nowMs: number,
): Promise<PlannedChange> {
  const live = requireLink(cluster, link);
  const base = await committedBase(cluster, live, baseVersion);
  if (target.version === base.version) {
    throw new ConsoleError(
      'CONSOLE_INVALID_REQUEST',
      `version ${target.version} is the committed version; there is nothing to roll back`,
      { field: 'version' },
    );
  }
  const { catalog } = await agentForms(cluster, live, nowMs);
  const before = parseClusterConf(base.text);
  const after = withConfigVersion(parseClusterConf(target.text), base.version + 1);
  const blocking = commitIssues(after, catalog)[0];
  if (blocking) {
    throw new ConsoleError(
      'CONSOLE_INVALID_REQUEST',
      `version ${target.version} cannot run now: ${blocking.message} [${blocking.rule}]`,
      { field: blocking.path },
    );
  }
  const note = `restores version ${target.version} as version ${base.version + 1}`;
  return { base, before, after, notes: [note, ...membershipNotes(before, after)] };
}
