import { z } from 'zod';
import { clusterStatusSchema, serviceIdSchema } from './control-messages.js';
import type { ErrorCode } from './error-codes.js';
import { nodeNameSchema } from './peer-messages.js';

/**
 * The console's API to the browser (DESIGN.md §3, "Browser↔console"): one schema per REST
 * body and per live message. The server (apps/luci) validates what it receives with these and
 * the web app (apps/web) validates what it receives, so both sides share one definition.
 */

/** luci's six per-cluster roles, in luci's order. */
export const clusterRoles = [
  'view',
  'membership',
  'config',
  'node-commands',
  'service-commands',
  'remove',
] as const;
export const clusterRoleSchema = z.enum(clusterRoles);
export type ClusterRole = z.infer<typeof clusterRoleSchema>;

/** What each role lets a user do, in luci's words (its permission group titles). */
export const clusterRoleTitles: Record<ClusterRole, string> = {
  view: 'View and monitor',
  membership: 'Add and delete nodes',
  config: 'Edit the configuration',
  'node-commands': 'Start, stop and reboot nodes',
  'service-commands': 'Enable, disable, relocate and migrate services',
  remove: 'Remove the cluster from the console',
};

/** The administrator the first start creates. */
export const firstAdminName = 'admin';

/**
 * A console user name: what the administrator typed, printable, no surrounding spaces. It is
 * data, never markup: every view shows it as text.
 */
export const userNameSchema = z
  .string()
  .min(1, 'a user name has at least one character')
  .max(64, 'a user name has at most 64 characters')
  .regex(/^[^\p{Cc}]*$/u, 'a user name has no control characters')
  .refine((name) => name.trim() === name, 'a user name does not start or end with a space');

export const passwordMinLength = 12;
/** Passwords are checked only for length: any characters, at least 12, at most 1,024. */
export const newPasswordSchema = z
  .string()
  .min(passwordMinLength, `a password has at least ${passwordMinLength} characters`)
  .max(1024, 'a password has at most 1,024 characters');
/** A password as typed at login: never checked against the policy, only bounded. */
export const givenPasswordSchema = z.string().max(1024, 'a password has at most 1,024 characters');

/** The cluster name as cluster.conf's `<cluster name>` spells it. */
export const clusterNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}]*$/u, 'a cluster name has no control characters');

const timestampSchema = z.iso.datetime();

// ---- Errors ------------------------------------------------------------------------------

export interface ApiErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    /** The request field the message is about, as a dotted path. */
    readonly field?: string;
  };
}

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});

// ---- First start and sessions --------------------------------------------------------------

export const setupStatusSchema = z.strictObject({ needsSetup: z.boolean() });
export type SetupStatus = z.infer<typeof setupStatusSchema>;

export const setupRequestSchema = z.strictObject({ password: newPasswordSchema });
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const loginRequestSchema = z.strictObject({
  user: z.string().min(1, 'enter a user name').max(64),
  password: givenPasswordSchema,
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionInfoSchema = z.strictObject({
  user: z.strictObject({ name: userNameSchema, admin: z.boolean() }),
  /** Sent back in the `x-csrf-token` header of every state-changing request. */
  csrfToken: z.string(),
  idleTimeoutMs: z.number().int().positive(),
  /** Whether this console can connect to clusters' agents yet (issue 9 brings the link). */
  clusterLinkAvailable: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const passwordChangeSchema = z.strictObject({
  currentPassword: givenPasswordSchema,
  newPassword: newPasswordSchema,
});
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

export const csrfHeaderName = 'x-csrf-token';

// ---- Users ---------------------------------------------------------------------------------

/** Roles per cluster name. */
export const clusterRoleGrantsSchema = z.record(clusterNameSchema, z.array(clusterRoleSchema));
export type ClusterRoleGrants = z.infer<typeof clusterRoleGrantsSchema>;

export const userSummarySchema = z.strictObject({
  name: userNameSchema,
  admin: z.boolean(),
  createdAt: timestampSchema,
  lastLoginAt: timestampSchema.nullable(),
  roles: clusterRoleGrantsSchema,
});
export type UserSummary = z.infer<typeof userSummarySchema>;

export const userListSchema = z.strictObject({ users: z.array(userSummarySchema) });
export type UserList = z.infer<typeof userListSchema>;

export const createUserRequestSchema = z.strictObject({
  name: userNameSchema,
  password: newPasswordSchema,
  admin: z.boolean().default(false),
});
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;

export const updateUserRequestSchema = z
  .strictObject({ password: newPasswordSchema.optional(), admin: z.boolean().optional() })
  .refine((body) => body.password !== undefined || body.admin !== undefined, {
    message: 'give a new password, a new admin flag, or both',
  });
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

export const setRolesRequestSchema = z.strictObject({ roles: clusterRoleGrantsSchema });
export type SetRolesRequest = z.infer<typeof setRolesRequestSchema>;

// ---- Clusters ------------------------------------------------------------------------------

/**
 * How the console's connection to a cluster's agents stands. `unavailable` means this console
 * has no agent link at all yet (issue 9): the console shows no status rather than a guess.
 */
export const clusterLinkStateSchema = z.enum(['unavailable', 'connecting', 'connected', 'lost']);
export type ClusterLinkState = z.infer<typeof clusterLinkStateSchema>;

const countSchema = z.number().int().nonnegative();

/** The homebase card's digest of a cluster's status (UI.md: quorum, members, services). */
export const clusterHealthSchema = z.strictObject({
  quorate: z.boolean(),
  totalVotes: countSchema,
  expectedVotes: countSchema,
  quorum: countSchema,
  membersOnline: countSchema,
  members: countSchema,
  servicesStarted: countSchema,
  servicesFailed: countSchema,
  servicesDisabled: countSchema,
  services: countSchema,
  /** clusvcadm -l: no service starts or moves until unlocked. */
  locked: z.boolean(),
});
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;

/**
 * Something that happened to a cluster, as the console saw it in the agents' status: a member
 * leaving or joining, a fence, a service changing state or owner, quorum, the lock, the link.
 */
/** `fence`: the cluster started fencing a lost member; `fenced`: that fence succeeded. */
export const clusterEventKindSchema = z.enum([
  'quorum',
  'member',
  'fence',
  'fenced',
  'service',
  'lock',
  'link',
]);
export type ClusterEventKind = z.infer<typeof clusterEventKindSchema>;

export const clusterEventSchema = z.strictObject({
  id: z.number().int().positive(),
  at: timestampSchema,
  kind: clusterEventKindSchema,
  /** The node or service the event is about; null for the cluster as a whole. */
  subject: z.string().max(300).nullable(),
  /** In RHCS's words: "node2 is offline", "service:webservice started on node3". */
  message: z.string().max(1000),
});
export type ClusterEvent = z.infer<typeof clusterEventSchema>;

const clusterLinkSchema = z.strictObject({
  state: clusterLinkStateSchema,
  since: timestampSchema.nullable(),
});

export const clusterSummarySchema = z.strictObject({
  name: clusterNameSchema,
  addedAt: timestampSchema,
  nodeCount: z.number().int().nonnegative(),
  /** The roles the signed-in user holds on this cluster (an admin holds all). */
  myRoles: z.array(clusterRoleSchema),
  link: clusterLinkSchema,
  /** null until the agents sent a status. */
  health: clusterHealthSchema.nullable(),
  lastEvent: clusterEventSchema.nullable(),
});
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

export const clusterListSchema = z.strictObject({ clusters: z.array(clusterSummarySchema) });
export type ClusterList = z.infer<typeof clusterListSchema>;

export const addClusterRequestSchema = z.strictObject({
  /** Any one node's address; the rest of the cluster is discovered from it. */
  address: z.string().min(1, 'enter a node address').max(255),
  port: z.number().int().min(1).max(65535).default(11111),
  agentPassword: z.string().min(1, 'enter the agent password').max(1024),
});
export type AddClusterRequest = z.input<typeof addClusterRequestSchema>;

// ---- Cluster status and actions ---------------------------------------------------------------

/** One cluster as its page shows it: the link, the agents' last status, the latest events. */
export const clusterStatusViewSchema = z.strictObject({
  name: clusterNameSchema,
  myRoles: z.array(clusterRoleSchema),
  link: clusterLinkSchema,
  /** The agents' snapshot, as clustat prints it; null before the first one arrived. */
  status: clusterStatusSchema.nullable(),
  /** The last ten events, newest first. */
  events: z.array(clusterEventSchema).max(10),
});
export type ClusterStatusView = z.infer<typeof clusterStatusViewSchema>;

/** clusvcadm's service requests (`-e -d -s -R -r -M -Z -U -c`). */
export const serviceActions = [
  'enable',
  'disable',
  'stop',
  'restart',
  'relocate',
  'migrate',
  'freeze',
  'unfreeze',
  'convalesce',
] as const;
export const serviceActionSchema = z.enum(serviceActions);
export type ServiceAction = z.infer<typeof serviceActionSchema>;
/** The actions that take a member (`-m`): required for migrate, optional for enable and relocate. */
export const serviceActionsWithNode: readonly ServiceAction[] = ['enable', 'relocate', 'migrate'];

/**
 * The body of `POST /api/clusters/:cluster/services/:service/:action`: the member for the
 * actions that take one, nothing for the others.
 */
export function serviceActionBodySchema(action: ServiceAction) {
  if (action === 'migrate') return z.strictObject({ node: nodeNameSchema });
  if (serviceActionsWithNode.includes(action)) {
    return z.strictObject({ node: nodeNameSchema.optional() });
  }
  return z.strictObject({});
}
export interface ServiceActionBody {
  readonly node?: string;
}

/** The service in an action's path: `service:NAME` as rgmanager spells it. */
export const serviceActionParamsSchema = z.strictObject({
  cluster: clusterNameSchema,
  service: serviceIdSchema,
});

/** The body of lock, unlock and fence-ack: JSON, so no cross-site form can send it. */
export const emptyBodySchema = z.strictObject({});

/** `POST /api/clusters/:cluster/nodes/:node/fence-ack`: fence_ack_manual NODE. */
export const nodeActionParamsSchema = z.strictObject({
  cluster: clusterNameSchema,
  node: nodeNameSchema,
});

/**
 * What the cluster answered, as its command prints it: "Trying to relocate service:webservice
 * to node1...Success". A refusal is an error (`CONSOLE_ACTION_REFUSED`) with the same words.
 */
export const actionOutcomeSchema = z.strictObject({
  text: z.string().max(2000),
  /** enable and relocate: where the service runs now. */
  owner: nodeNameSchema.nullable().optional(),
  /** lock and unlock: whether resource groups are locked now. */
  locked: z.boolean().optional(),
});
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;

// ---- Audit log -----------------------------------------------------------------------------

export const auditResultSchema = z.enum(['ok', 'refused', 'failed']);
export type AuditResult = z.infer<typeof auditResultSchema>;

export const auditEntrySchema = z.strictObject({
  id: z.number().int().positive(),
  at: timestampSchema,
  /** Who asked; null when nobody was signed in (a failed login names the user it tried). */
  user: z.string().nullable(),
  cluster: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  /** The request, secrets replaced by "[redacted]". */
  details: z.record(z.string(), z.unknown()),
  result: auditResultSchema,
  errorCode: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.strictObject({ entries: z.array(auditEntrySchema) });
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Entries with an id below this one: the next page. */
  before: z.coerce.number().int().positive().optional(),
});

// ---- Live messages (server → browser over /api/live) ---------------------------------------

export const liveMessageSchema = z.discriminatedUnion('type', [
  /** The registry of clusters this user may see changed: the whole list, small by nature. */
  z.strictObject({ type: z.literal('clusters'), clusters: z.array(clusterSummarySchema) }),
  /** A cluster this user may view changed: its whole page state (status and latest events). */
  z.strictObject({ type: z.literal('cluster-status'), cluster: clusterStatusViewSchema }),
  /** The session ended (idle expiry, sign-out, user deleted); the socket closes next. */
  z.strictObject({ type: z.literal('session-ended'), reason: z.enum(['expired', 'signed-out']) }),
]);
export type LiveMessage = z.infer<typeof liveMessageSchema>;

/** WebSocket close codes the console uses (4000–4999 are the application's). */
export const liveCloseCodes = { sessionEnded: 4401, crossSite: 4403 } as const;
