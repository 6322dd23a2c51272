import { z } from 'zod';
import { configIssueSchema } from './config-issue.js';
import { agentMetadataSchema } from './console-api.js';

/**
 * The console's configuration editor (browser ↔ luci): the committed cluster.conf with its
 * secrets redacted and the agents' metadata, a preview of a list of edits (the new file and its
 * diff), and the commit of the same edits as config_version + 1. Edits are data, applied by the
 * core's config model on the server against the committed file, so a secret the browser never
 * saw is kept unless it is typed again.
 */

const name = z.string().min(1).max(255);
const attrName = z.string().min(1).max(255);
const value = z.string().max(64_000);
const params = z.record(attrName, value);
const attrChanges = z.record(attrName, value.nullable());
const count = z.number().int().nonnegative();

const fenceDeviceUse = z.strictObject({ device: name, params: params.optional() });
const domainMember = z.strictObject({ node: name, priority: z.number().int().optional() });

export interface ConfigTreeSpec {
  readonly type: string;
  readonly ref?: string | undefined;
  readonly params?: Readonly<Record<string, string>> | undefined;
  readonly children?: readonly ConfigTreeSpec[] | undefined;
}

/** A resource in a service tree: `ref` to a global resource, or inline `params`; nested below. */
export const configTreeSpecSchema: z.ZodType<ConfigTreeSpec> = z.lazy(() =>
  z.strictObject({
    type: name,
    ref: value.optional(),
    params: params.optional(),
    children: z.array(configTreeSpecSchema).max(1000).optional(),
  }),
);

const flag = z.boolean().optional();
const maybeInt = z.number().int().nullable().optional();
const maybeFlag = z.boolean().nullable().optional();

/** Cluster-wide settings (the core's `ClusterPropertyChanges`); `null` removes the attribute. */
export const clusterPropertyChangesSchema = z.strictObject({
  alias: value.nullable().optional(),
  cman: z
    .strictObject({
      twoNode: maybeFlag,
      expectedVotes: maybeInt,
      transport: z.enum(['udp', 'udpu']).nullable().optional(),
      port: maybeInt,
      waitForAll: maybeFlag,
    })
    .optional(),
  totem: z.strictObject({ tokenMs: maybeInt, consensusMs: maybeInt }).optional(),
  fenceDaemon: z.strictObject({ postJoinDelayS: maybeInt, postFailDelayS: maybeInt }).optional(),
  /** `<rm>` attributes (status_poll_interval, log_level, central_processing, …). */
  rm: attrChanges.optional(),
});

/** One edit, as the core's `ConsoleEdit` names it. */
export const configEditSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('addFenceDevice'), name, agent: name, params: params.optional() }),
  z.strictObject({
    op: z.literal('updateFenceDevice'),
    name,
    agent: name.optional(),
    params: attrChanges.optional(),
  }),
  z.strictObject({ op: z.literal('deleteFenceDevice'), name }),
  z.strictObject({
    op: z.literal('setNodeProperties'),
    name,
    votes: z.number().int().nullable().optional(),
    altname: value.nullable().optional(),
  }),
  z.strictObject({
    op: z.literal('setNodeFencing'),
    node: name,
    methods: z.array(z.strictObject({ name, devices: z.array(fenceDeviceUse).max(100) })).max(100),
  }),
  z.strictObject({
    op: z.literal('addFailoverDomain'),
    name,
    ordered: flag,
    restricted: flag,
    nofailback: flag,
    members: z.array(domainMember).max(4096).optional(),
  }),
  z.strictObject({
    op: z.literal('updateFailoverDomain'),
    name,
    ordered: flag,
    restricted: flag,
    nofailback: flag,
  }),
  z.strictObject({ op: z.literal('deleteFailoverDomain'), name }),
  z.strictObject({
    op: z.literal('setDomainMembers'),
    domain: name,
    members: z.array(domainMember).max(4096),
  }),
  z.strictObject({ op: z.literal('addResource'), type: name, params }),
  z.strictObject({
    op: z.literal('updateResource'),
    type: name,
    primary: value,
    params: attrChanges,
  }),
  z.strictObject({ op: z.literal('deleteResource'), type: name, primary: value }),
  z.strictObject({
    op: z.literal('addService'),
    name,
    kind: z.enum(['service', 'vm']).optional(),
    attrs: params.optional(),
  }),
  z.strictObject({ op: z.literal('updateService'), name, attrs: attrChanges }),
  z.strictObject({ op: z.literal('deleteService'), name }),
  z.strictObject({
    op: z.literal('setServiceTree'),
    service: name,
    tree: z.array(configTreeSpecSchema).max(1000),
  }),
  z.strictObject({ op: z.literal('setClusterProperties'), changes: clusterPropertyChangesSchema }),
]);

export type ConfigEditRequestItem = z.infer<typeof configEditSchema>;

/** A save: the edits and the config_version they were made against. */
export const configEditBodySchema = z.strictObject({
  baseVersion: count,
  edits: z.array(configEditSchema).min(1).max(1000),
});

export type ConfigEditBody = z.infer<typeof configEditBodySchema>;

/** A fence agent's form description (the core's `FenceAgentInfo`). */
export const fenceAgentInfoSchema = z.strictObject({
  agent: name,
  shortDescription: z.string().max(64_000),
  deviceParameters: agentMetadataSchema.shape.parameters,
  instanceParameters: agentMetadataSchema.shape.parameters,
});

/** `GET /api/clusters/:cluster/config`: what the editor starts from. */
export const clusterConfigViewSchema = z.strictObject({
  version: count,
  /** The committed cluster.conf with every fence secret replaced by `********`. */
  text: z.string().min(1),
  resourceAgents: z.array(agentMetadataSchema).max(10_000),
  fenceAgents: z.array(fenceAgentInfoSchema).max(1000),
  /** Agents whose meta-data the agent could not read, and why. */
  metadataFailures: z.array(z.strictObject({ type: z.string(), message: z.string() })).max(10_000),
  /** Whether this user may send changes (the `config` role). */
  canEdit: z.boolean(),
});

export type ClusterConfigView = z.infer<typeof clusterConfigViewSchema>;

export const configDiffLineSchema = z.strictObject({
  kind: z.enum(['same', 'removed', 'added']),
  text: z.string(),
  oldLine: z.number().int().positive().optional(),
  newLine: z.number().int().positive().optional(),
});

/** The preview of a save, and (with `committed`) the answer of a send. */
export const configPreviewSchema = z.strictObject({
  baseVersion: count,
  version: count,
  /** The new cluster.conf, secrets redacted. */
  text: z.string().min(1),
  hunks: z.array(z.strictObject({ lines: z.array(configDiffLineSchema) })),
  /** What the edit did beyond the obvious (a node also removed from a domain, …). */
  notes: z.array(z.string()),
  warnings: z.array(configIssueSchema),
  committed: z.boolean(),
  /**
   * The change of the voting set in words ("adds node4; expected_votes 3 → 4"), when there is
   * one: the agents commit it through joint consensus.
   */
  votingChange: z.string().optional(),
});

export type ConfigPreview = z.infer<typeof configPreviewSchema>;

// ---- the raw file: download, upload (issue 12) ----

/** A whole cluster.conf (cluster.conf files are at most 4 MiB, as the agents take them). */
export const CONFIG_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** `GET …/config/file` (redacted) and `POST …/config/file/with-secrets` (admin, audited). */
export const configFileSchema = z.strictObject({
  version: count,
  text: z.string().min(1),
  /** Whether fence secrets are replaced by `********`. */
  redacted: z.boolean(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;

/** An uploaded file, checked (`…/config/file/check`) or sent (`…/config/file/commit`). */
export const configFileBodySchema = z.strictObject({
  baseVersion: count,
  text: z.string().min(1).max(CONFIG_FILE_MAX_BYTES),
});

export type ConfigFileBody = z.infer<typeof configFileBodySchema>;

/** The check of an uploaded file: the validator's errors, or the diff it would commit. */
export const configFileCheckSchema = z.strictObject({
  valid: z.boolean(),
  errors: z.array(configIssueSchema),
  preview: configPreviewSchema.nullable(),
});

export type ConfigFileCheck = z.infer<typeof configFileCheckSchema>;

// ---- history (issue 12) ----

export const configHistorySourceSchema = z.enum(['edit', 'upload', 'rollback', 'seen']);

/** One version of cluster.conf the console committed or saw committed. */
export const configHistoryEntrySchema = z.strictObject({
  version: count,
  /** When the console committed or first saw it (ISO 8601). */
  recordedAt: z.string(),
  /** Who sent it from this console; null for a version committed elsewhere (ccs_tool, …). */
  recordedBy: z.string().nullable(),
  source: configHistorySourceSchema,
  /** What it changed against the version before ("totem token 1000 → 1500"). */
  summary: z.string(),
  /** The version a rollback restored. */
  rollbackOf: count.nullable(),
});

export type ConfigHistoryEntry = z.infer<typeof configHistoryEntrySchema>;

/** `GET …/config/history`: newest first. */
export const configHistorySchema = z.strictObject({
  entries: z.array(configHistoryEntrySchema).max(10_000),
});

export type ConfigHistory = z.infer<typeof configHistorySchema>;

/** `GET …/config/history/diff?from=A&to=B`: the redacted diff between two recorded versions. */
export const configHistoryDiffQuerySchema = z.strictObject({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
});

export const configHistoryDiffSchema = z.strictObject({
  from: count,
  to: count,
  hunks: configPreviewSchema.shape.hunks,
});

export type ConfigHistoryDiff = z.infer<typeof configHistoryDiffSchema>;

/** `POST …/config/history/:version/rollback/{preview,commit}`: made against the current version. */
export const configRollbackBodySchema = z.strictObject({ baseVersion: count });

export type ConfigRollbackBody = z.infer<typeof configRollbackBodySchema>;
