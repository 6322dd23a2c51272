import { z } from 'zod';

/**
 * The consensus messages ricci agents exchange (DESIGN.md §3). Their shapes mirror the core's
 * `PeerMessage` types (`packages/core/src/consensus/types.ts`); ricci checks at compile time
 * that what these schemas accept is exactly what the core consumes.
 */

/** A cluster node name as cluster.conf spells it: printable, no spaces, at most 255 characters. */
export const nodeNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s\p{Cc}]+$/u, 'a node name has no spaces or control characters');

const counter = z.number().int().nonnegative();

const messageBase = {
  from: nodeNameSchema,
  to: nodeNameSchema,
  term: counter,
  incarnation: counter,
};

export const logEntrySchema = z.strictObject({
  index: z.number().int().positive(),
  term: counter,
  kind: z.enum(['noop', 'command', 'config', 'fence']),
  data: z.string(),
});

export const hardStateSchema = z.strictObject({
  term: counter,
  vote: nodeNameSchema.nullable(),
  commit: counter,
  incarnation: counter,
});

/** A cluster.conf with its version, as committed or as a node holds it. */
export const versionedConfigSchema = z.strictObject({ version: counter, text: z.string() });

/**
 * Formation: the sender's own cluster.conf (null: none), sent on votes and append responses
 * while the sender's log holds no config.
 */
const formationOffer = versionedConfigSchema.nullable().optional();

export const voteRequestSchema = z.strictObject({
  ...messageBase,
  type: z.literal('vote-request'),
  preVote: z.boolean(),
  lastLogIndex: counter,
  lastLogTerm: counter,
  offer: formationOffer,
});

export const voteResponseSchema = z.strictObject({
  ...messageBase,
  type: z.literal('vote-response'),
  preVote: z.boolean(),
  granted: z.boolean(),
  offer: formationOffer,
  sentTick: counter.optional(),
});

/** `cman_tool leave`: the sender's incarnation stops cleanly and needs no fencing. */
export const leaveNoticeSchema = z.strictObject({
  ...messageBase,
  type: z.literal('leave-notice'),
});

export const appendRequestSchema = z.strictObject({
  ...messageBase,
  type: z.literal('append-request'),
  prevIndex: counter,
  prevTerm: counter,
  entries: z.array(logEntrySchema).readonly(),
  commit: counter,
  members: z.array(nodeNameSchema).readonly(),
  sentTick: counter,
  /** The recipient's own tick from its newest answer the leader had heard; -1 for none. */
  echoTick: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
});

export const appendResponseSchema = z.strictObject({
  ...messageBase,
  type: z.literal('append-response'),
  success: z.boolean(),
  matchIndex: counter,
  echoTick: counter,
  sentTick: counter,
  offer: formationOffer,
});

export const snapshotSchema = z.strictObject({
  index: counter,
  term: counter,
  config: versionedConfigSchema.nullable(),
  appState: z.string(),
});

export const snapshotRequestSchema = z.strictObject({
  ...messageBase,
  type: z.literal('install-snapshot'),
  snapshot: snapshotSchema,
  members: z.array(nodeNameSchema).readonly(),
  sentTick: counter,
  echoTick: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
});

export const consensusMessageSchema = z.discriminatedUnion('type', [
  voteRequestSchema,
  voteResponseSchema,
  appendRequestSchema,
  appendResponseSchema,
  snapshotRequestSchema,
  leaveNoticeSchema,
]);

export type WireLogEntry = z.infer<typeof logEntrySchema>;
export type WireHardState = z.infer<typeof hardStateSchema>;
export type ConsensusMessage = z.infer<typeof consensusMessageSchema>;

/** A record of the agent's write-ahead log: the core's `PersistRecord`. */
export const persistRecordSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hard-state'), state: hardStateSchema }),
  z.strictObject({
    kind: z.literal('entries'),
    entries: z.array(logEntrySchema).min(1).readonly(),
  }),
  z.strictObject({ kind: z.literal('snapshot'), snapshot: snapshotSchema, retainLog: z.boolean() }),
]);

export type WirePersistRecord = z.infer<typeof persistRecordSchema>;
