import {
  type AgentCatalog,
  applyConsoleEdits,
  type ClusterConf,
  type ConsoleEdit,
  commitIssues,
  describeVotingChange,
  diffHunks,
  EditError,
  parseClusterConf,
  redactedConfigText,
  serializeXml,
  validateClusterConf,
  votingChange,
} from '@quorate/core';
import type {
  ClusterConfigView,
  CommittedConfig,
  ConfigEditBody,
  ConfigPreview,
} from '@quorate/protocol';
import type { ClusterLink } from '../cluster-link/cluster-link.js';
import { ConsoleError } from '../errors/console-error.js';
import { requestAction } from '../routes/action-outcome.js';
import { agentForms } from './agent-forms.js';

/**
 * The configuration editor's work on the console side: it reads the committed cluster.conf and
 * the agents' meta-data through the cluster's link, applies the browser's edits with the core's
 * config model, and shows the result only with secrets redacted. Every preview and commit starts
 * again from the committed file; only the agents' meta-data is kept (agent-forms.ts).
 */

export function requireLink(cluster: string, link: ClusterLink | undefined): ClusterLink {
  if (link === undefined || link.state().state !== 'connected') {
    throw new ConsoleError(
      'CONSOLE_LINK_UNAVAILABLE',
      `the console has no connection to the agents of cluster "${cluster}"`,
    );
  }
  return link;
}

async function fromAgents<T>(cluster: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ConsoleError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new ConsoleError(
      'CONSOLE_LINK_UNAVAILABLE',
      `no agent of cluster "${cluster}" answered: ${why}`,
    );
  }
}

export async function committedConfig(
  cluster: string,
  link: ClusterLink,
): Promise<CommittedConfig> {
  const config = await fromAgents(cluster, () => link.config());
  if (config === null) {
    throw new ConsoleError(
      'CONSOLE_CONFLICT',
      `cluster "${cluster}" has no committed cluster.conf yet`,
    );
  }
  return config;
}

/**
 * The committed file, which must still be the version the change was made against (someone may
 * have changed the cluster meanwhile).
 */
export async function committedBase(
  cluster: string,
  live: ClusterLink,
  baseVersion: number,
): Promise<CommittedConfig> {
  const base = await committedConfig(cluster, live);
  if (base.version !== baseVersion) {
    throw new ConsoleError(
      'CONSOLE_CONFLICT',
      `the configuration changed while you edited it: version ${base.version} is committed now, your change was made on version ${baseVersion}; reload and make it again`,
      { field: 'baseVersion' },
    );
  }
  return base;
}

/** What the editor opens with: the file (redacted), every agent's form description. */
export async function readConfigView(
  cluster: string,
  link: ClusterLink | undefined,
  canEdit: boolean,
  nowMs: number,
): Promise<ClusterConfigView> {
  const live = requireLink(cluster, link);
  const config = await committedConfig(cluster, live);
  const forms = await agentForms(cluster, live, nowMs);
  return {
    version: config.version,
    text: redactedConfigText(parseClusterConf(config.text).doc),
    // Through JSON: the core's absent optional fields (undefined) are left out, as the schema wants.
    resourceAgents: JSON.parse(JSON.stringify([...forms.catalog.values()])),
    fenceAgents: JSON.parse(JSON.stringify([...forms.fenceCatalog.values()])),
    metadataFailures: [...forms.failures],
    canEdit,
  };
}

/** The result of a save, ready to be shown or sent. */
export interface PlannedChange {
  readonly base: CommittedConfig;
  readonly before: ClusterConf;
  readonly after: ClusterConf;
  readonly notes: readonly string[];
}

/**
 * Applies the edits to the committed file. A base version that is no longer the committed one
 * is refused (someone changed the cluster meanwhile); an edit the config model refuses is a
 * 400 whose `field` is the path of what is wrong, ending in `/@attribute` where it is about one.
 */
export async function planChange(
  cluster: string,
  link: ClusterLink | undefined,
  body: ConfigEditBody,
  nowMs: number,
): Promise<PlannedChange> {
  const live = requireLink(cluster, link);
  const base = await committedBase(cluster, live, body.baseVersion);
  const { catalog } = await agentForms(cluster, live, nowMs);
  const before = parseClusterConf(base.text);
  const { conf: after, notes } = applyOrExplain(
    before,
    body.edits as readonly ConsoleEdit[],
    catalog,
  );
  const blocking = commitIssues(after, catalog);
  const known = new Set(commitIssues(before, catalog).map((i) => `${i.rule}\u0000${i.message}`));
  const fresh = blocking.find((i) => !known.has(`${i.rule}\u0000${i.message}`));
  if (fresh) {
    throw new ConsoleError('CONSOLE_INVALID_REQUEST', `${fresh.message} [${fresh.rule}]`, {
      field: fresh.path,
    });
  }
  return { base, before, after, notes };
}

function applyOrExplain(conf: ClusterConf, edits: readonly ConsoleEdit[], catalog: AgentCatalog) {
  try {
    return applyConsoleEdits(conf, edits, catalog);
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    throw new ConsoleError('CONSOLE_INVALID_REQUEST', error.reason, { field: error.path });
  }
}

/** The change as the browser sees it: the new file and its diff, both redacted. */
export function previewOf(change: PlannedChange, committed: boolean): ConfigPreview {
  const oldText = redactedConfigText(change.before.doc);
  const newText = redactedConfigText(change.after.doc, change.before.doc);
  const voting = votingChange(change.before, change.after);
  return {
    ...(voting ? { votingChange: describeVotingChange(voting) } : {}),
    baseVersion: change.base.version,
    version: change.after.configVersion ?? change.base.version + 1,
    text: newText,
    hunks: diffHunks(oldText, newText).map((h) => ({ lines: h.lines.map((l) => ({ ...l })) })),
    notes: [...change.notes],
    warnings: validateClusterConf(change.after, 'runnable').warnings,
    committed,
  };
}

/** The exact text to send: the real file, secrets included (it never reaches a browser or a log). */
export function committedText(change: PlannedChange): string {
  return serializeXml(change.after.doc);
}

/**
 * Sends the change as `config-update`; the leader validates and commits it. Resolves with the
 * exact text committed; the cluster's refusal is a 409 in its own words.
 */
export async function sendChange(
  cluster: string,
  link: ClusterLink | undefined,
  change: PlannedChange,
): Promise<string> {
  const text = committedText(change);
  const version = change.after.configVersion ?? change.base.version + 1;
  const result = await requestAction(cluster, link, { type: 'config-update', text });
  if (result.type !== 'config-update') {
    throw new ConsoleError('CONSOLE_INTERNAL', `the agent answered with a ${result.type} result`);
  }
  if (!result.accepted) {
    throw new ConsoleError(
      'CONSOLE_ACTION_REFUSED',
      `The cluster refused configuration version ${version}: ${result.message} (${result.rule})`,
    );
  }
  return text;
}
