import { z } from 'zod';
import { clusterNameSchema } from './browser-api.js';
import { serviceIdSchema } from './control-messages.js';
import { nodeNameSchema } from './peer-messages.js';

/**
 * Alerts (browser ↔ luci, and luci → the administrator's receivers): per cluster, targets that
 * receive an alert on a failover, a fence, quorum lost or regained and a failed service — a
 * webhook (an HTTP POST of `AlertPayload` as JSON, signed with HMAC-SHA256 when it has a shared
 * secret) or an email through an SMTP server. Secrets are written, never read back: a target
 * says only whether it has one.
 */

/** What alerts: the console derives each from the agents' status stream. */
export const alertKinds = ['failover', 'fence', 'quorum', 'service-failed', 'test'] as const;
export const alertKindSchema = z.enum(alertKinds);
export type AlertKind = z.infer<typeof alertKindSchema>;

/** The kinds a target may choose (`test` is sent only when asked, to the one target). */
export const subscribableAlertKinds = ['failover', 'fence', 'quorum', 'service-failed'] as const;
const subscribableKindSchema = z.enum(subscribableAlertKinds);

export const alertSeveritySchema = z.enum(['critical', 'warning', 'info']);

const timestamp = z.iso.datetime();
const count = z.number().int().nonnegative();

/** Why a service started on another node. */
export const failoverCauseSchema = z.enum(['owner-lost', 'service-failed']);

export const alertDetailsSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('failover'),
    service: serviceIdSchema,
    /** The node it ran on before. */
    from: nodeNameSchema,
    /** The node it runs on now. */
    to: nodeNameSchema,
    cause: failoverCauseSchema,
    /** When the console first saw the owner lost or the service failed. */
    troubleAt: timestamp,
    /** From `troubleAt` to the status that showed it started on `to`, as the console saw them. */
    durationMs: count,
  }),
  z.strictObject({
    kind: z.literal('fence'),
    node: nodeNameSchema,
    /**
     * `succeeded`: the cluster moved the node's services, which it does only after a fence.
     * `unconfirmed`: fencing began and no success was seen within the console's bound.
     */
    result: z.enum(['succeeded', 'unconfirmed']),
    /** When the console saw fencing begin (the member lost while the cluster stayed quorate). */
    startedAt: timestamp.nullable(),
    durationMs: count.nullable(),
  }),
  z.strictObject({
    kind: z.literal('quorum'),
    quorate: z.boolean(),
    totalVotes: count,
    expectedVotes: count,
    quorum: count,
  }),
  z.strictObject({
    kind: z.literal('service-failed'),
    service: serviceIdSchema,
    /** Where it failed, as the status names it. */
    node: nodeNameSchema.nullable(),
  }),
  z.strictObject({ kind: z.literal('test'), requestedBy: z.string().max(64) }),
]);
export type AlertDetails = z.infer<typeof alertDetailsSchema>;

/**
 * The JSON a webhook receives (and an email carries below its text), version 1. `id` is unique
 * per alert and the same on every retry, so a receiver can drop duplicates.
 */
export const alertPayloadSchema = z.strictObject({
  schema: z.literal('quorate.alert/1'),
  id: z.string().min(1).max(64),
  cluster: clusterNameSchema,
  kind: alertKindSchema,
  severity: alertSeveritySchema,
  /** When the console saw it happen. */
  at: timestamp,
  /** The node or service it is about; null for the cluster as a whole. */
  subject: z.string().max(300).nullable(),
  /** One line in RHCS's words: "service:webservice failed over from node2 to node3 …". */
  summary: z.string().max(1000),
  details: alertDetailsSchema,
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

/** The webhook's headers: the kind, the alert id, and the signature when there is a secret. */
export const alertHeaders = {
  kind: 'x-quorate-alert',
  id: 'x-quorate-alert-id',
  /** `sha256=` and the lowercase hex HMAC-SHA256 of the raw body, keyed with the secret. */
  signature: 'x-quorate-signature-256',
} as const;

// ---- targets -------------------------------------------------------------------------------

const targetName = z
  .string()
  .min(1, 'a target name has at least one character')
  .max(64, 'a target name has at most 64 characters')
  .regex(/^[^\p{Cc}]*$/u, 'a target name has no control characters');

/** http(s) only, and no user or password in it: a secret goes in the secret field. */
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .regex(
    /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/i,
    'a webhook URL is an absolute http:// or https:// URL',
  )
  .refine(
    (text) => !/^https?:\/\/[^/?#]*@/i.test(text),
    'a webhook URL carries no user or password: put a shared secret in the secret field',
  );

const emailAddress = z.email('an email address is like ops@example.com').max(320);
const hostName = z
  .string()
  .min(1, 'enter the SMTP server')
  .max(255)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'an SMTP server is a host name or address');

/** `tls`: TLS from the start (port 465); `starttls`: upgrade required; `none`: plain (tests). */
export const smtpSecuritySchema = z.enum(['tls', 'starttls', 'none']);

const smtpSettings = {
  host: hostName,
  port: z.number().int().min(1, 'a port is 1–65535').max(65535, 'a port is 1–65535'),
  security: smtpSecuritySchema,
  user: z.string().max(255).optional(),
  from: emailAddress,
  to: z.array(emailAddress).min(1, 'give at least one recipient').max(20),
};

export const newAlertTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('webhook'),
    name: targetName,
    url: webhookUrlSchema,
    /** The shared secret the HMAC is keyed with; stored, never shown again. */
    secret: z.string().min(16, 'a shared secret has at least 16 characters').max(256).optional(),
    events: z.array(subscribableKindSchema).min(1, 'choose at least one event').max(4),
  }),
  z.strictObject({
    kind: z.literal('email'),
    name: targetName,
    ...smtpSettings,
    /** The SMTP password; stored, never shown again. */
    password: z.string().min(1).max(1024).optional(),
    events: z.array(subscribableKindSchema).min(1, 'choose at least one event').max(4),
  }),
]);
export type NewAlertTarget = z.infer<typeof newAlertTargetSchema>;

/** A target as the browser sees it: everything but its secret. */
export const alertTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: z.number().int().positive(),
    kind: z.literal('webhook'),
    name: targetName,
    url: z.string(),
    hasSecret: z.boolean(),
    events: z.array(subscribableKindSchema),
  }),
  z.strictObject({
    id: z.number().int().positive(),
    kind: z.literal('email'),
    name: targetName,
    host: z.string(),
    port: z.number().int(),
    security: smtpSecuritySchema,
    user: z.string().optional(),
    from: z.string(),
    to: z.array(z.string()),
    hasSecret: z.boolean(),
    events: z.array(subscribableKindSchema),
  }),
]);
export type AlertTarget = z.infer<typeof alertTargetSchema>;

export const alertTargetListSchema = z.strictObject({ targets: z.array(alertTargetSchema) });

export const alertTargetParamsSchema = z.strictObject({
  cluster: clusterNameSchema,
  target: z.coerce.number().int().positive(),
});

// ---- the delivery log ----------------------------------------------------------------------

export const deliveryStateSchema = z.enum(['sending', 'delivered', 'failed']);

export const alertDeliverySchema = z.strictObject({
  id: z.number().int().positive(),
  alertId: z.string(),
  /** null once the target was deleted. */
  targetId: z.number().int().positive().nullable(),
  targetName: z.string(),
  kind: alertKindSchema,
  summary: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  state: deliveryStateSchema,
  attempts: count,
  /** The last attempt's HTTP status (webhooks) or SMTP reply code (email), if any. */
  lastStatus: z.number().int().nullable(),
  /** The last attempt's error, in words; null once delivered. */
  lastError: z.string().nullable(),
});
export type AlertDelivery = z.infer<typeof alertDeliverySchema>;

export const alertDeliveryLogSchema = z.strictObject({
  deliveries: z.array(alertDeliverySchema),
});

/** The answer to "send test alert": the delivery it started (its outcome follows in the log). */
export const testAlertOutcomeSchema = z.strictObject({ delivery: alertDeliverySchema });
