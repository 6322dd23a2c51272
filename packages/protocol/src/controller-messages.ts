import { z } from 'zod';
import { certificateFingerprintSchema } from './certificate-fingerprint.js';
import { nodeNameSchema } from './peer-messages.js';

/**
 * The resource manager's controller (DESIGN.md §2): the peer messages its executors and its
 * leader exchange, and the commands the leader appends to the replicated log. Their shapes
 * mirror the core's `ControllerMessage` and `ControllerCommand`
 * (`packages/core/src/controller/types.ts`); the core parses every committed command with
 * `controllerCommandSchema`, so a malformed entry is an error event, never a crash.
 */

/** The command format's version; an entry with another version is refused by name. */
export const CONTROLLER_COMMAND_VERSION = 1;

const counter = z.number().int().nonnegative();
const serviceIdSchema = z.string().min(1).max(512);

const messageBase = {
  from: nodeNameSchema,
  to: nodeNameSchema,
  term: counter,
  incarnation: counter,
};

export const rmRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['enable', 'relocate']),
    service: serviceIdSchema,
    target: nodeNameSchema.optional(),
  }),
  z.strictObject({
    kind: z.enum(['disable', 'stop', 'restart', 'freeze', 'unfreeze', 'convalesce']),
    service: serviceIdSchema,
  }),
  z.strictObject({ kind: z.literal('migrate'), service: serviceIdSchema, target: nodeNameSchema }),
  z.strictObject({ kind: z.enum(['lock', 'unlock', 'query-lock']) }),
]);

/** An executor's result for one service operation, bound to the transition it acted on. */
export const rmReportSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-report'),
  service: serviceIdSchema,
  op: z.enum(['start', 'stop', 'status', 'convalesce', 'migrate']),
  ok: z.boolean(),
  partial: z.boolean().optional(),
  /** The log index of the service transition the operation belonged to. */
  transition: counter,
});

/** What a node found running when it started (its probe), for its current incarnation. */
export const rmProbeSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-probe'),
  running: z.array(serviceIdSchema).readonly(),
});

/** An administrator's request, forwarded from the node that received it to the leader. */
export const rmForwardSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-forward'),
  requestId: z.string().min(1).max(128),
  request: rmRequestSchema,
});

/** The leader's answer to a forwarded request, with rgmanager's result code. */
export const rmResultSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-result'),
  requestId: z.string().min(1).max(128),
  code: z.number().int(),
  message: z.string(),
  detail: z.string().nullable(),
  owner: nodeNameSchema.nullable(),
});

/** fence_ack_manual: the operator confirms that `node` is off; forwarded to the leader. */
export const rmFenceAckSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-fence-ack'),
  node: nodeNameSchema,
});

/** The leader asks a service's owner to restart its stopped non-critical subtrees. */
export const rmConvalesceSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-convalesce'),
  service: serviceIdSchema,
  transition: counter,
});

/** What a console certificate may become: trusted by the whole cluster, or no longer. */
export const consoleTrustChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('trust'),
    fingerprint: certificateFingerprintSchema,
    /** Who the console is for an administrator reading the state (its remote address). */
    label: z.string().min(1).max(255),
  }),
  z.strictObject({ kind: z.literal('revoke'), fingerprint: certificateFingerprintSchema }),
]);

/** A console trust change asked on a follower, forwarded to the leader that records it. */
export const rmConsoleTrustSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-console-trust'),
  requestId: z.string().min(1).max(128),
  change: consoleTrustChangeSchema,
});

/** A whole cluster.conf proposed on a follower, forwarded to the leader that proposes it. */
export const rmConfigSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-config'),
  requestId: z.string().min(1).max(128),
  // The peer frame's own size limit bounds the file.
  text: z.string().min(1),
});

/** fence_node asked on a follower, forwarded to the leader that fences. */
export const rmFenceNodeSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-fence-node'),
  requestId: z.string().min(1).max(128),
  node: nodeNameSchema,
});

/** The leader's answer to a forwarded trust change or cluster.conf, once committed (or not). */
export const rmDeskResultSchema = z.strictObject({
  ...messageBase,
  type: z.literal('rm-desk-result'),
  desk: z.enum(['console-trust', 'config', 'fence']),
  requestId: z.string().min(1).max(128),
  ok: z.boolean(),
  message: z.string().max(2000),
  rule: z.string().max(64).nullable(),
  version: counter.nullable(),
});

export const controllerMessageSchema = z.discriminatedUnion('type', [
  rmReportSchema,
  rmProbeSchema,
  rmForwardSchema,
  rmResultSchema,
  rmFenceAckSchema,
  rmConvalesceSchema,
  rmConsoleTrustSchema,
  rmConfigSchema,
  rmFenceNodeSchema,
  rmDeskResultSchema,
]);

export type WireControllerMessage = z.infer<typeof controllerMessageSchema>;
export type WireRmRequest = z.infer<typeof rmRequestSchema>;
export type WireConsoleTrustChange = z.infer<typeof consoleTrustChangeSchema>;

const pendingMoveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['disable', 'stop', 'recover']) }),
  z.strictObject({ kind: z.enum(['restart', 'relocate', 'migrate']), node: nodeNameSchema }),
]);

export const serviceRecordSchema = z.strictObject({
  id: serviceIdSchema,
  state: z.enum([
    'stopped',
    'starting',
    'started',
    'stopping',
    'failed',
    'recovering',
    'disabled',
    'migrating',
    'uninitialized',
  ]),
  owner: nodeNameSchema.optional(),
  lastOwner: nodeNameSchema.optional(),
  restartTimesMs: z.array(counter).readonly(),
  frozen: z.boolean(),
  partial: z.boolean(),
  lastTransitionMs: counter,
  pending: pendingMoveSchema.optional(),
});

const commandBase = {
  v: z.literal(CONTROLLER_COMMAND_VERSION),
  /** The leader's time stamp (ms): its ticks times its tick length. */
  atMs: counter,
};

export const controllerCommandSchema = z.discriminatedUnion('type', [
  /** New records for the services named; `reassert` re-issues them in a new term unchanged. */
  z.strictObject({
    ...commandBase,
    type: z.literal('services'),
    records: z.array(serviceRecordSchema).readonly(),
    locked: z.boolean().optional(),
    reassert: z.boolean().optional(),
  }),
  /**
   * The leader saw `node` (in `incarnation`) leave the membership without a clean leave, or an
   * administrator asked for it to be fenced (`requested`: fence_node), member or not.
   */
  z.strictObject({
    ...commandBase,
    type: z.literal('node-lost'),
    node: nodeNameSchema,
    incarnation: counter,
    requested: z.literal(true).optional(),
  }),
  /** A fence of `node` in `incarnation` succeeded (all devices of `method`, or an ack). */
  z.strictObject({
    ...commandBase,
    type: z.literal('fenced'),
    node: nodeNameSchema,
    incarnation: counter,
    method: z.string().min(1).max(255),
  }),
  /** `node` in `incarnation` probed its resources and may be given services. */
  z.strictObject({
    ...commandBase,
    type: z.literal('probed'),
    node: nodeNameSchema,
    incarnation: counter,
  }),
  /** Every node accepts this console certificate without the agent password (DESIGN.md §3). */
  z.strictObject({
    ...commandBase,
    type: z.literal('console-trusted'),
    fingerprint: certificateFingerprintSchema,
    label: z.string().min(1).max(255),
  }),
  /** The console certificate is no longer trusted, nor any node's own pin made before this. */
  z.strictObject({
    ...commandBase,
    type: z.literal('console-revoked'),
    fingerprint: certificateFingerprintSchema,
  }),
]);

export type WireControllerCommand = z.infer<typeof controllerCommandSchema>;
