import { z } from 'zod';
import { certificateFingerprintSchema } from './certificate-fingerprint.js';
import {
  clusterStatusSchema,
  committedConfigSchema,
  controlActionSchema,
  controlResultSchema,
  serviceIdSchema,
  serviceStateNameSchema,
} from './control-messages.js';
import type { ErrorCode } from './error-codes.js';
import { utf8ByteLength } from './peer-frame.js';
import { nodeNameSchema } from './peer-messages.js';

/**
 * The console API (DESIGN.md §3, "Console↔agent"): luci talks to a ricci agent over a WebSocket
 * on the agent's TLS port, at its own path. Every WebSocket text message is one JSON frame.
 *
 * The console opens with `hello` (the versions it speaks and how it authenticates: the node's
 * agent password, or a client certificate the agent pinned earlier); the agent answers
 * `welcome` (the version both use and what the console needs to find the rest of the cluster)
 * or an `error` and closes. Then the console sends requests with ids; each is answered by a
 * frame echoing the id. An `action` is answered at once with `accepted` and a task id, then by
 * `task` frames as it runs and when it ends. After `subscribe` the agent pushes `status` (id
 * null) whenever the status changes, at most one per tick, and an `event` for each membership,
 * quorum, leader, fence and service transition.
 */
export const CONSOLE_API_VERSIONS: readonly number[] = [1];

/** The agent serves the console API here, on the same port as the peer transport. */
export const CONSOLE_API_PATH = '/quorate/console';

/** A console's frame larger than this is refused; a whole cluster.conf (4 MiB) fits escaped. */
export const DEFAULT_MAX_CONSOLE_FRAME_BYTES = 16 * 1024 * 1024;

/** An agent's frame larger than this is refused: a status of 100,000 services fits. */
export const DEFAULT_MAX_AGENT_FRAME_BYTES = 64 * 1024 * 1024;

/** The most log lines one `logs` request returns (the agent keeps this many). */
export const MAX_CONSOLE_LOG_LINES = 1000;

const count = z.number().int().nonnegative();
const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const taskId = z.string().min(1).max(100);
const version = z.number().int().positive();
const message = z.string().max(4000);

export { certificateFingerprintSchema };

// ---- console → agent ----

export const consoleAuthSchema = z.discriminatedUnion('kind', [
  /** The node's agent password (`ricci password`); the agent then pins the client certificate. */
  z.strictObject({ kind: z.literal('password'), password: z.string().min(1).max(1024) }),
  /** The client certificate of this connection was pinned by an earlier password hello. */
  z.strictObject({ kind: z.literal('certificate') }),
]);

export const consoleHelloSchema = z.strictObject({
  type: z.literal('hello'),
  versions: z.array(version).min(1).max(32).readonly(),
  auth: consoleAuthSchema,
});

const request = { version, id: requestId };

export const consoleRequestSchema = z.discriminatedUnion('type', [
  consoleHelloSchema,
  z.strictObject({ ...request, type: z.literal('status') }),
  z.strictObject({ ...request, type: z.literal('config') }),
  z.strictObject({ ...request, type: z.literal('metadata') }),
  z.strictObject({
    ...request,
    type: z.literal('logs'),
    /** The newest `limit` lines (all the agent keeps when absent). */
    limit: z.number().int().min(1).max(MAX_CONSOLE_LOG_LINES).optional(),
  }),
  z.strictObject({ ...request, type: z.literal('action'), action: controlActionSchema }),
  z.strictObject({ ...request, type: z.literal('subscribe') }),
  /**
   * The cluster stops trusting a console certificate (this connection's own when
   * `fingerprint` is absent) and this node drops its own pin of it.
   */
  z.strictObject({
    ...request,
    type: z.literal('revoke-console'),
    fingerprint: certificateFingerprintSchema.optional(),
  }),
]);

export type ConsoleAuth = z.infer<typeof consoleAuthSchema>;
export type ConsoleHello = z.infer<typeof consoleHelloSchema>;
export type ConsoleRequest = z.infer<typeof consoleRequestSchema>;

// ---- agent → console ----

/** A node of the cluster as the agent knows it: where its agent listens. */
export const consoleNodeSchema = z.strictObject({
  name: nodeNameSchema,
  address: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  /**
   * Its agent certificate's fingerprint where this agent has seen it on a verified peer link
   * (its own always), else null: the console pins it before it ever dials that node.
   */
  agentFingerprint: certificateFingerprintSchema.nullable(),
});

export const consoleWelcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  version,
  node: nodeNameSchema,
  /** The committed cluster.conf's cluster name; the node name's cluster before there is one. */
  cluster: z.string().min(1).max(255),
  configVersion: count,
  nodes: z.array(consoleNodeSchema).min(1).max(4096).readonly(),
  /** This agent's own certificate fingerprint, which the console pins. */
  agentFingerprint: certificateFingerprintSchema,
  /** How this connection was authenticated. */
  auth: z.enum(['password', 'certificate']),
  /**
   * Who trusts this console's certificate now: `cluster` when the replicated cluster state
   * does (every node accepts it without the password), `node` when only this node pinned it.
   * Absent from agents older than the replicated trust.
   */
  consoleTrust: z.enum(['cluster', 'node']).optional(),
});

/** What the agent's resource agents say about themselves (the core's `AgentMetadata`). */
export const agentParameterSchema = z.strictObject({
  name: z.string().min(1).max(255),
  type: z.string().max(255),
  required: z.boolean(),
  unique: z.boolean(),
  primary: z.boolean(),
  reconfig: z.boolean(),
  inherit: z.string().max(255).optional(),
  defaultValue: z.string().max(64_000).optional(),
  options: z.array(z.string().max(1000)).max(1000).readonly(),
  shortDescription: z.string().max(64_000),
  longDescription: z.string().max(64_000),
});

export const agentMetadataSchema = z.strictObject({
  type: z.string().min(1).max(255),
  version: z.string().max(255),
  shortDescription: z.string().max(64_000),
  longDescription: z.string().max(64_000),
  parameters: z.array(agentParameterSchema).max(1000).readonly(),
  actions: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(255),
        timeoutS: z.number().nonnegative().optional(),
        intervalS: z.number().nonnegative().optional(),
        depth: z.number().int().nonnegative().optional(),
      }),
    )
    .max(100)
    .readonly(),
  root: z.boolean(),
  maxInstances: z.number().int().nonnegative().optional(),
  childTypes: z
    .array(
      z.strictObject({
        type: z.string().min(1).max(255),
        start: count,
        stop: count,
        forbid: z.boolean(),
      }),
    )
    .max(100)
    .readonly(),
});

export const agentInfoSchema = z.strictObject({
  node: nodeNameSchema,
  agentVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version is MAJOR.MINOR.PATCH'),
  hostname: z.string().max(255),
  /** When the agent started (ms since the epoch, its own clock). */
  startedMs: count,
  resourceAgents: z.array(agentMetadataSchema).max(10_000).readonly(),
  /** Installed `fence_*` agents' `metadata`; optional so a console reads agents that list none. */
  fenceAgents: z.array(agentMetadataSchema).max(10_000).readonly().optional(),
  /** Agents whose `meta-data` could not be read, and why. */
  failures: z
    .array(z.strictObject({ type: z.string().max(255), message }))
    .max(10_000)
    .readonly(),
});

/** One of the agent's own log lines (its JSON-lines log), newest last. */
export const agentLogLineSchema = z.strictObject({
  time: z.string().max(64),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  event: z.string().min(1).max(255),
  fields: z.record(z.string(), z.unknown()),
});

const at = { node: nodeNameSchema, atMs: count };
const nodes = z.array(nodeNameSchema).max(4096).readonly();

/** Transitions the agent saw, pushed to subscribed consoles as they happen. */
export const consoleEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...at,
    kind: z.literal('membership'),
    members: nodes,
    joined: nodes,
    lost: nodes,
    left: nodes,
    restarted: nodes,
  }),
  z.strictObject({
    ...at,
    kind: z.literal('quorum'),
    quorate: z.boolean(),
    votes: count,
    expectedVotes: count,
    quorum: count,
  }),
  z.strictObject({
    ...at,
    kind: z.literal('leader'),
    leader: nodeNameSchema.nullable(),
    term: count,
  }),
  z.strictObject({
    ...at,
    kind: z.literal('service'),
    service: serviceIdSchema,
    state: serviceStateNameSchema,
    owner: nodeNameSchema.nullable(),
    partial: z.boolean(),
  }),
  z.strictObject({
    ...at,
    kind: z.literal('emergency-stop'),
    service: serviceIdSchema,
    /** The core's reason (`lease`, `not-owner`, `declared-lost`, …), as the agent logs it. */
    reason: z.string().min(1).max(64),
  }),
  z.strictObject({
    ...at,
    kind: z.literal('node-lost'),
    victim: nodeNameSchema,
    incarnation: count,
  }),
  z.strictObject({
    ...at,
    kind: z.literal('fence'),
    victim: nodeNameSchema,
    method: z.string().max(255),
    outcome: z.enum(['started', 'waiting-ack', 'succeeded', 'failed', 'settling']),
  }),
]);

export type ConsoleEvent = z.infer<typeof consoleEventSchema>;

export type ConsoleApiErrorCode = Extract<ErrorCode, `CONSOLE_API_${string}`>;

export const consoleApiErrorCodeSchema = z.enum([
  'CONSOLE_API_FRAME_TOO_LARGE',
  'CONSOLE_API_FRAME_NOT_JSON',
  'CONSOLE_API_FRAME_INVALID',
  'CONSOLE_API_VERSION_UNSUPPORTED',
  'CONSOLE_API_NOT_AUTHENTICATED',
  'CONSOLE_API_AUTH_FAILED',
  'CONSOLE_API_AUTH_RATE_LIMITED',
  'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
  'CONSOLE_API_NO_PASSWORD',
  'CONSOLE_API_REQUEST_FAILED',
  'CONSOLE_API_AGENT_FINGERPRINT_CHANGED',
] as const satisfies readonly ConsoleApiErrorCode[]);

const reply = { version, id: requestId };

/** A task's progress: `running` once it started, then `done` with its result or `failed`. */
export const consoleTaskSchema = z.discriminatedUnion('state', [
  z.strictObject({ version, type: z.literal('task'), taskId, state: z.literal('running') }),
  z.strictObject({
    version,
    type: z.literal('task'),
    taskId,
    state: z.literal('done'),
    result: controlResultSchema,
  }),
  z.strictObject({
    version,
    type: z.literal('task'),
    taskId,
    state: z.literal('failed'),
    code: consoleApiErrorCodeSchema,
    message,
  }),
]);

export const consoleMessageSchema = z.union([
  z.discriminatedUnion('type', [
    consoleWelcomeSchema,
    /** `id` null: a push to a subscribed console. */
    z.strictObject({
      version,
      id: requestId.nullable(),
      type: z.literal('status'),
      status: clusterStatusSchema,
    }),
    z.strictObject({
      ...reply,
      type: z.literal('config'),
      config: committedConfigSchema.nullable(),
    }),
    z.strictObject({ ...reply, type: z.literal('metadata'), metadata: agentInfoSchema }),
    z.strictObject({
      ...reply,
      type: z.literal('logs'),
      lines: z.array(agentLogLineSchema).max(MAX_CONSOLE_LOG_LINES).readonly(),
    }),
    z.strictObject({ ...reply, type: z.literal('accepted'), taskId }),
    z.strictObject({ ...reply, type: z.literal('subscribed') }),
    /** `cluster`: the revocation is committed; false when it could not be (no quorum). */
    z.strictObject({
      ...reply,
      type: z.literal('console-revoked'),
      fingerprint: certificateFingerprintSchema,
      cluster: z.boolean(),
      message,
    }),
    z.strictObject({ version, type: z.literal('event'), event: consoleEventSchema }),
    z.strictObject({
      version,
      /** null when the refused frame had no readable id (and for `hello`). */
      id: requestId.nullable(),
      type: z.literal('error'),
      code: consoleApiErrorCodeSchema,
      message,
      /** With CONSOLE_API_AUTH_RATE_LIMITED: when the agent will listen again. */
      retryAfterMs: count.optional(),
    }),
  ]),
  consoleTaskSchema,
]);

export type ConsoleWelcome = z.infer<typeof consoleWelcomeSchema>;
export type ConsoleNode = z.infer<typeof consoleNodeSchema>;
export type AgentInfo = z.infer<typeof agentInfoSchema>;
export type AgentLogLine = z.infer<typeof agentLogLineSchema>;
export type ConsoleTask = z.infer<typeof consoleTaskSchema>;
export type ConsoleMessage = z.infer<typeof consoleMessageSchema>;

/** Why a console frame was refused; `message` names the field and the rule. */
export class ConsoleApiError extends Error {
  override readonly name = 'ConsoleApiError';
  constructor(
    readonly code: ConsoleApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type DecodedConsoleFrame<T> =
  | { readonly ok: true; readonly frame: T }
  | { readonly ok: false; readonly error: ConsoleApiError; readonly id: number | null };

export function encodeConsoleFrame(frame: ConsoleRequest | ConsoleMessage): string {
  return JSON.stringify(frame);
}

/** Validates what a console sent; never throws. A `hello` is checked by `negotiate…` after. */
export function decodeConsoleRequest(
  raw: string,
  maxBytes = DEFAULT_MAX_CONSOLE_FRAME_BYTES,
): DecodedConsoleFrame<ConsoleRequest> {
  return decode(raw, maxBytes, consoleRequestSchema);
}

/** Validates what an agent sent; never throws. */
export function decodeConsoleMessage(
  raw: string,
  maxBytes = DEFAULT_MAX_AGENT_FRAME_BYTES,
): DecodedConsoleFrame<ConsoleMessage> {
  return decode(raw, maxBytes, consoleMessageSchema);
}

/** The highest version both sides speak, or null when they share none. */
export function negotiateConsoleVersion(
  theirs: readonly number[],
  ours: readonly number[] = CONSOLE_API_VERSIONS,
): number | null {
  const shared = ours.filter((candidate) => theirs.includes(candidate));
  return shared.length === 0 ? null : Math.max(...shared);
}

function decode<T extends { type: string }>(
  raw: string,
  maxBytes: number,
  schema: z.ZodType<T>,
): DecodedConsoleFrame<T> {
  const size = utf8ByteLength(raw);
  if (size > maxBytes) {
    return refuse(
      'CONSOLE_API_FRAME_TOO_LARGE',
      `/: frame of ${size} bytes is over the ${maxBytes}-byte limit`,
      null,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return refuse('CONSOLE_API_FRAME_NOT_JSON', '/: the frame is not JSON', null);
  }
  const id = readableId(parsed);
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? `/${issue.path.join('/')}` : '/';
    return refuse('CONSOLE_API_FRAME_INVALID', `${path}: ${issue?.message ?? 'invalid frame'}`, id);
  }
  const frame = result.data as T & { version?: number; versions?: readonly number[] };
  const spoken = CONSOLE_API_VERSIONS.join(', ');
  if (frame.versions !== undefined && negotiateConsoleVersion(frame.versions) === null) {
    return refuse(
      'CONSOLE_API_VERSION_UNSUPPORTED',
      `/versions: none of ${frame.versions.join(', ')} is a version this side speaks (${spoken})`,
      id,
    );
  }
  if (frame.version !== undefined && !CONSOLE_API_VERSIONS.includes(frame.version)) {
    return refuse(
      'CONSOLE_API_VERSION_UNSUPPORTED',
      `/version: version ${frame.version} is not one this side speaks (${spoken})`,
      id,
    );
  }
  return { ok: true, frame: result.data };
}

function readableId(parsed: unknown): number | null {
  if (typeof parsed !== 'object' || parsed === null || !('id' in parsed)) return null;
  return requestId.safeParse(parsed.id).success ? (parsed.id as number) : null;
}

function refuse<T>(
  code: ConsoleApiErrorCode,
  text: string,
  id: number | null,
): DecodedConsoleFrame<T> {
  return { ok: false, error: new ConsoleApiError(code, text), id };
}
