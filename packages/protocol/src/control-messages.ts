import { z } from 'zod';
import { rmRequestSchema } from './controller-messages.js';
import type { ErrorCode } from './error-codes.js';
import { utf8ByteLength } from './peer-frame.js';
import { nodeNameSchema } from './peer-messages.js';

/**
 * The control protocol between the RHCS command line (`clustat`, `clusvcadm`, `cman_tool`,
 * `fence_ack_manual`, online `ccs_tool`) and the local agent, over a Unix socket only root can
 * open (DESIGN.md §3). One request per line, one response per line, both JSON; each carries the
 * protocol version it is written in and the request's id, which the response echoes. The
 * shapes mirror the core's (`RmRequest` through the controller's `rmRequestSchema`,
 * `ServiceStateName`, `ConfigRefusalRule`); ricci checks at compile time that they stay the same.
 */
export const CONTROL_PROTOCOL_VERSIONS: readonly number[] = [1];
export const CONTROL_PROTOCOL_VERSION = 1;

/** A line longer than this is refused unread. A whole cluster.conf (4 MiB) fits escaped. */
export const DEFAULT_MAX_CONTROL_FRAME_BYTES = 16 * 1024 * 1024;

export const DEFAULT_CONTROL_SOCKET_PATH = '/run/quorate/ricci.sock';
/** The environment variable that overrides the socket path (tests, non-root setups). */
export const CONTROL_SOCKET_ENV = 'QUORATE_SOCKET';

export function controlSocketPath(env: Readonly<Record<string, string | undefined>>): string {
  return env[CONTROL_SOCKET_ENV] || DEFAULT_CONTROL_SOCKET_PATH;
}

const count = z.number().int().nonnegative();
const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** `TYPE:NAME` as rgmanager spelled service ids: `service:web`, `vm:guest1`. */
export const serviceIdSchema = z
  .string()
  .max(300)
  .regex(/^[a-z][a-z0-9_-]*:[^\p{Cc}]+$/u, 'a service id is TYPE:NAME, e.g. service:web');

// ---- the status snapshot (clustat, cman_tool status/nodes/version) ----

/** rgmanager's service states, as the core names them. */
export const serviceStateNameSchema = z.enum([
  'stopped',
  'starting',
  'started',
  'stopping',
  'failed',
  'recovering',
  'disabled',
  'migrating',
  'uninitialized',
]);

export const memberStatusSchema = z.strictObject({
  name: nodeNameSchema,
  nodeId: count,
  votes: count,
  /** A member of the cluster as this agent sees it now. */
  online: z.boolean(),
  /** The node this agent runs on. */
  local: z.boolean(),
  /** Seen in the membership but not in the committed cluster.conf (clustat's "Estranged"). */
  estranged: z.boolean(),
  /** Its resource manager answers (clustat's "rgmanager" flag). */
  rgmanager: z.boolean(),
  /** How many times the node has started (cman_tool nodes' "Inc"). */
  incarnation: count,
  /** When it last joined (ms since the epoch), null when it is not a member. */
  joinedMs: count.nullable(),
  addresses: z.array(z.string().min(1).max(255)).max(16).readonly(),
});

export const serviceStatusSchema = z.strictObject({
  id: serviceIdSchema,
  state: serviceStateNameSchema,
  owner: nodeNameSchema.nullable(),
  lastOwner: nodeNameSchema.nullable(),
  frozen: z.boolean(),
  /** A non-critical part failed and is left stopped (`clusvcadm -c` repairs it). */
  partial: z.boolean(),
  restarts: count,
  /** The leader's time stamp of the last state change (ms since the epoch); 0 for never. */
  lastTransitionMs: count,
});

export const clusterStatusSchema = z.strictObject({
  cluster: z.strictObject({
    name: z.string().min(1).max(255),
    /** cman's cluster id (a number derived from the name, or `<cman cluster_id>`). */
    id: count,
    /** Changes whenever the membership does (cman's generation); the consensus term here. */
    generation: count,
    /** `config_version` of the cluster.conf this agent applied; 0 before it has one. */
    configVersion: count,
    /** The agent's protocol version as cman printed its own: MAJOR.MINOR.PATCH. */
    agentVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version is MAJOR.MINOR.PATCH'),
    twoNode: z.boolean(),
  }),
  quorum: z.strictObject({
    quorate: z.boolean(),
    /** Votes of the members this agent sees. */
    totalVotes: count,
    expectedVotes: count,
    /** Votes needed for quorum. */
    quorum: count,
    leader: nodeNameSchema.nullable(),
  }),
  local: z.strictObject({
    name: nodeNameSchema,
    nodeId: count,
    votes: count,
    membership: z.enum(['joining', 'member', 'not-in-cluster', 'leaving']),
    addresses: z.array(z.string().min(1).max(255)).max(16).readonly(),
  }),
  /** Every node of the committed configuration, plus estranged members. */
  members: z.array(memberStatusSchema).max(4096).readonly(),
  resourceManager: z.strictObject({
    /** The local resource manager runs and its state is current. */
    running: z.boolean(),
    /** clusvcadm -l: no service starts or moves until unlocked. */
    locked: z.boolean(),
  }),
  services: z.array(serviceStatusSchema).max(100_000).readonly(),
});

export type MemberStatus = z.infer<typeof memberStatusSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;

// ---- actions: what the command line asks the cluster to do ----

/** cman_tool's requests. */
export const nodeRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('expected'), votes: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ kind: z.literal('votes'), votes: z.number().int().min(0).max(1_000_000) }),
  /** `remove` lowers the expected votes of those who stay; `force` leaves even if busy. */
  z.strictObject({ kind: z.literal('leave'), remove: z.boolean(), force: z.boolean() }),
  z.strictObject({ kind: z.literal('kill'), node: nodeNameSchema }),
  z.strictObject({ kind: z.literal('join') }),
  /**
   * fence_node: the leader fences this node now, member or not, with its configured methods,
   * and records it fenced so its loss is not fenced again; its services recover elsewhere.
   */
  z.strictObject({ kind: z.literal('fence'), node: nodeNameSchema }),
]);

export const controlActionSchema = z.discriminatedUnion('type', [
  /** clusvcadm's requests: the core's `RmRequest`, as the controller forwards them. */
  z.strictObject({ type: z.literal('rm'), request: rmRequestSchema }),
  z.strictObject({ type: z.literal('node'), request: nodeRequestSchema }),
  /** fence_ack_manual: the administrator confirms the node is really off. */
  z.strictObject({ type: z.literal('fence-ack'), node: nodeNameSchema }),
  /** ccs_tool update / cman_tool version -r: propose this whole cluster.conf. */
  z.strictObject({ type: z.literal('config-update'), text: z.string().min(1) }),
]);

export type NodeRequest = z.infer<typeof nodeRequestSchema>;
export type ControlAction = z.infer<typeof controlActionSchema>;

/** The core's reasons for refusing a cluster.conf (`ConfigRefusalRule`). */
export const configRefusalRuleSchema = z.enum([
  'not-quorate',
  'not-leader',
  'not-runnable',
  'version-not-greater',
  'edit-refused',
  'no-config',
  'change-in-progress',
  'in-use',
  'try-again',
]);

export const controlResultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('rm'),
    /** rgmanager's result code: 0 success, negative failures (the core's `rgResults`). */
    code: z.number().int().min(-255).max(0),
    /** rgmanager's string for the code. */
    message: z.string().max(1000),
    /** Why, in words, when the code alone does not say. */
    detail: z.string().max(4000).optional(),
    /** Where the service runs afterwards. */
    owner: nodeNameSchema.nullable(),
    /** For query-lock (and after lock/unlock): whether resource groups are locked. */
    locked: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('node'), ok: z.boolean(), message: z.string().max(4000) }),
  z.strictObject({ type: z.literal('fence-ack'), ok: z.boolean(), message: z.string().max(4000) }),
  // Both config-update shapes share the type, so they form a union of their own on `accepted`.
  z.discriminatedUnion('accepted', [
    z.strictObject({
      type: z.literal('config-update'),
      accepted: z.literal(true),
      previousVersion: count,
      version: count,
    }),
    z.strictObject({
      type: z.literal('config-update'),
      accepted: z.literal(false),
      rule: configRefusalRuleSchema,
      message: z.string().max(64_000),
    }),
  ]),
]);

export type ControlResult = z.infer<typeof controlResultSchema>;
export type RmResult = Extract<ControlResult, { type: 'rm' }>;
export type ConfigUpdateResult = Extract<ControlResult, { type: 'config-update' }>;

// ---- frames ----

const envelope = { version: z.number().int().positive(), id: requestId };

/** The committed cluster.conf: its version and exact text (what online ccs_tool edits). */
export const committedConfigSchema = z.strictObject({
  version: count,
  text: z.string().min(1),
});

export type CommittedConfig = z.infer<typeof committedConfigSchema>;

export const controlRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...envelope, type: z.literal('status') }),
  z.strictObject({ ...envelope, type: z.literal('config') }),
  z.strictObject({ ...envelope, type: z.literal('action'), action: controlActionSchema }),
]);

export type ControlErrorCode = Extract<ErrorCode, `CONTROL_${string}`>;

const controlErrorCodeSchema = z.enum([
  'CONTROL_FRAME_TOO_LARGE',
  'CONTROL_FRAME_NOT_JSON',
  'CONTROL_FRAME_INVALID',
  'CONTROL_VERSION_UNSUPPORTED',
  'CONTROL_REQUEST_FAILED',
] as const satisfies readonly ControlErrorCode[]);

export const controlResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...envelope, type: z.literal('status'), status: clusterStatusSchema }),
  /** null before the cluster has committed any cluster.conf. */
  z.strictObject({
    ...envelope,
    type: z.literal('config'),
    config: committedConfigSchema.nullable(),
  }),
  z.strictObject({ ...envelope, type: z.literal('result'), result: controlResultSchema }),
  z.strictObject({
    version: envelope.version,
    /** null when the refused request had no readable id. */
    id: requestId.nullable(),
    type: z.literal('error'),
    code: controlErrorCodeSchema,
    message: z.string().max(4000),
  }),
]);

export type ControlRequest = z.infer<typeof controlRequestSchema>;
export type ControlResponse = z.infer<typeof controlResponseSchema>;

/** Why a control frame was refused; `message` names the field and the rule. */
export class ControlFrameError extends Error {
  override readonly name = 'ControlFrameError';
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Decoded<T> =
  | { readonly ok: true; readonly frame: T }
  | { readonly ok: false; readonly error: ControlFrameError; readonly id: number | null };

/** One line (without its newline), as JSON. */
export function encodeControlFrame(frame: ControlRequest | ControlResponse): string {
  return `${JSON.stringify(frame)}\n`;
}

export function decodeControlRequest(
  line: string,
  maxBytes = DEFAULT_MAX_CONTROL_FRAME_BYTES,
): Decoded<ControlRequest> {
  return decodeFrame(line, maxBytes, controlRequestSchema);
}

export function decodeControlResponse(
  line: string,
  maxBytes = DEFAULT_MAX_CONTROL_FRAME_BYTES,
): Decoded<ControlResponse> {
  return decodeFrame(line, maxBytes, controlResponseSchema);
}

function decodeFrame<T extends { version: number }>(
  line: string,
  maxBytes: number,
  schema: z.ZodType<T>,
): Decoded<T> {
  const size = utf8ByteLength(line);
  if (size > maxBytes) {
    return refuse(
      'CONTROL_FRAME_TOO_LARGE',
      `/: frame of ${size} bytes is over the ${maxBytes}-byte limit`,
      null,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return refuse('CONTROL_FRAME_NOT_JSON', '/: the frame is not JSON', null);
  }
  const id = readableId(parsed);
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? `/${issue.path.join('/')}` : '/';
    return refuse('CONTROL_FRAME_INVALID', `${path}: ${issue?.message ?? 'invalid frame'}`, id);
  }
  if (!CONTROL_PROTOCOL_VERSIONS.includes(result.data.version)) {
    return refuse(
      'CONTROL_VERSION_UNSUPPORTED',
      `/version: version ${result.data.version} is not one this side speaks (${CONTROL_PROTOCOL_VERSIONS.join(', ')})`,
      id,
    );
  }
  return { ok: true, frame: result.data };
}

function readableId(parsed: unknown): number | null {
  if (typeof parsed !== 'object' || parsed === null || !('id' in parsed)) return null;
  return requestId.safeParse(parsed.id).success ? (parsed.id as number) : null;
}

function refuse<T>(code: ControlErrorCode, message: string, id: number | null): Decoded<T> {
  return { ok: false, error: new ControlFrameError(code, message), id };
}

/** A complete line, or the size of one that was over the limit and was skipped. */
export type ControlLine =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly bytes: number };

/**
 * Splits a stream of text into lines, never holding more than `maxBytes` of one line: a longer
 * line is dropped as it arrives and reported once when its newline comes, so one bad frame
 * costs neither memory nor the connection.
 */
export class ControlLineReader {
  private partial: string[] = [];
  private partialBytes = 0;
  private dropping = false;

  constructor(readonly maxBytes = DEFAULT_MAX_CONTROL_FRAME_BYTES) {}

  push(chunk: string): ControlLine[] {
    const lines: ControlLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.take(chunk.slice(start, nl));
      lines.push(this.finishLine());
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.slice(start));
    return lines;
  }

  /** Bytes of the line in progress (the skipped bytes while dropping). */
  get pendingBytes(): number {
    return this.partialBytes;
  }

  private take(piece: string): void {
    if (piece.length === 0) return;
    this.partialBytes += utf8ByteLength(piece);
    if (this.partialBytes > this.maxBytes) {
      this.dropping = true;
      this.partial = [];
    }
    if (!this.dropping) this.partial.push(piece);
  }

  private finishLine(): ControlLine {
    const line: ControlLine = this.dropping
      ? { ok: false, bytes: this.partialBytes }
      : { ok: true, text: this.partial.join('') };
    this.partial = [];
    this.partialBytes = 0;
    this.dropping = false;
    return line;
  }
}
