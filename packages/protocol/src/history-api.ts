import { z } from 'zod';
import { failoverCauseSchema } from './alerts-api.js';
import { clusterEventKindSchema, clusterEventSchema } from './browser-api.js';
import { agentLogLineSchema, MAX_CONSOLE_LOG_LINES } from './console-api.js';
import { serviceIdSchema, serviceStateNameSchema } from './control-messages.js';
import { nodeNameSchema } from './peer-messages.js';

/**
 * A cluster's history as the console recorded it (browser ↔ luci): the events timeline with
 * filters, one service's history (where it ran, each failover with its cause and duration), and
 * one node's recent agent log lines, as the agent sent them (its log carries no secrets).
 */

const timestamp = z.iso.datetime();
const count = z.number().int().nonnegative();

/** The most events one timeline page holds. */
export const MAX_TIMELINE_PAGE = 1000;

/** `kind=member,fence`: a comma-separated list in the query string, each a known kind. */
const kindListSchema = z
  .string()
  .max(200)
  .transform((text) => text.split(',').filter((kind) => kind !== ''))
  .pipe(z.array(clusterEventKindSchema).max(16));

/** `GET /api/clusters/:cluster/events`: newest first, every filter optional. */
export const timelineQuerySchema = z
  .strictObject({
    kind: kindListSchema.optional(),
    /** Events about this node: its membership and fencing, services starting or stopping on it. */
    node: nodeNameSchema.optional(),
    /** Events of this service only. */
    service: serviceIdSchema.optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    /** Events with an id below this one: the next page. */
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(MAX_TIMELINE_PAGE).default(200),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'from is after to: the time range is empty',
    path: ['from'],
  });
export type TimelineQuery = z.input<typeof timelineQuerySchema>;

/**
 * An event with the node it concerns (a member, or where a service is or was), for links, and
 * for a service event the state it reached (its colour and icon).
 */
export const timelineEventSchema = clusterEventSchema.extend({
  node: nodeNameSchema.nullable(),
  state: serviceStateNameSchema.nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const timelinePageSchema = z.strictObject({
  events: z.array(timelineEventSchema).max(MAX_TIMELINE_PAGE),
  /** Pass as `before` for older events; null when there are none. */
  nextBefore: z.number().int().positive().nullable(),
});
export type TimelinePage = z.infer<typeof timelinePageSchema>;

/** A stretch of a service's life in one state on one node (null: on none). */
export const serviceSpanSchema = z.strictObject({
  state: serviceStateNameSchema,
  node: nodeNameSchema.nullable(),
  from: timestamp,
  /** null: it still holds. */
  to: timestamp.nullable(),
});
export type ServiceSpan = z.infer<typeof serviceSpanSchema>;

/** The service started on another node after its owner was lost or it failed there. */
export const serviceFailoverSchema = z.strictObject({
  from: nodeNameSchema,
  to: nodeNameSchema,
  cause: failoverCauseSchema,
  /** When the console first saw the owner lost or the service failed. */
  troubleAt: timestamp,
  /** When the console saw it started on `to`. */
  startedAt: timestamp,
  durationMs: count,
});
export type ServiceFailover = z.infer<typeof serviceFailoverSchema>;

/** `GET /api/clusters/:cluster/services/:service/history`: oldest first. */
export const serviceHistorySchema = z.strictObject({
  service: serviceIdSchema,
  spans: z.array(serviceSpanSchema).max(10_000),
  failovers: z.array(serviceFailoverSchema).max(10_000),
  /** Moves an administrator asked for (relocate, migrate): not failovers. */
  relocations: count,
});
export type ServiceHistory = z.infer<typeof serviceHistorySchema>;

export const serviceHistoryParamsSchema = z.strictObject({
  cluster: z.string().min(1).max(255),
  service: serviceIdSchema,
});

export const agentLogsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_CONSOLE_LOG_LINES).default(200),
});

/** `GET /api/clusters/:cluster/nodes/:node/logs`: the node's agent's newest lines, oldest first. */
export const agentLogsSchema = z.strictObject({
  node: nodeNameSchema,
  lines: z.array(agentLogLineSchema).max(MAX_CONSOLE_LOG_LINES),
});
export type AgentLogs = z.infer<typeof agentLogsSchema>;
