import { z } from 'zod';
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

export const controllerMessageSchema = z.discriminatedUnion('type', [
  rmReportSchema,
  rmProbeSchema,
  rmForwardSchema,
  rmResultSchema,
  rmFenceAckSchema,
  rmConvalesceSchema,
]);

export type WireControllerMessage = z.infer<typeof controllerMessageSchema>;
export type WireRmRequest = z.infer<typeof rmRequestSchema>;

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
  /** The leader saw `node` (in `incarnation`) leave the membership without a clean leave. */
  z.strictObject({
    ...commandBase,
    type: z.literal('node-lost'),
    node: nodeNameSchema,
    incarnation: counter,
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
]);

export type WireControllerCommand = z.infer<typeof controllerCommandSchema>;
