import { z } from 'zod';
import { newPasswordSchema } from './browser-api.js';

/**
 * The console's API for creating a cluster from bare hosts over SSH, adding and deleting nodes
 * and deleting a cluster (issue 11 item 1). The browser checks a form with the same schemas
 * the server validates with, so field errors agree. Secrets (SSH passwords and keys, the agent
 * password) travel only in request bodies; no reply and no task view ever carries one.
 */

/** cluster.conf names (cluster and nodes), as the bootstrap's plan check states them. */
export const bootstrapNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const nameRule = 'use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';

export const newClusterNameSchema = z
  .string()
  .min(1, 'enter a cluster name')
  .regex(bootstrapNamePattern, `a cluster name must ${nameRule.slice(4)}`);

/** A host name or an IPv4/IPv6 address, as the console dials it over SSH. */
export const sshHostSchema = z
  .string()
  .min(1, 'enter the host’s address or name')
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9][A-Za-z0-9.-]*|\[?[0-9A-Fa-f:.]+\]?)$/,
    'a host is a DNS name or an IP address (letters, digits, "." "-" ":")',
  );

export const sshFingerprintSchema = z
  .string()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'a host key fingerprint is "SHA256:" and 43 characters, as ssh-keygen -lf prints it',
  );

export const sshAuthSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('password'),
    password: z.string().min(1, 'enter the SSH password').max(1024),
  }),
  z.strictObject({
    kind: z.literal('private-key'),
    privateKey: z
      .string()
      .max(16_384)
      .regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'paste a PEM or OpenSSH private key'),
    passphrase: z.string().max(1024).optional(),
  }),
]);
export type SshAuthInput = z.infer<typeof sshAuthSchema>;

/** One host to install: how to reach it over SSH and, optionally, its node name. */
export const bootstrapHostSchema = z.strictObject({
  host: sshHostSchema,
  sshPort: z
    .number({ error: 'an SSH port is a number' })
    .int('an SSH port is a whole number')
    .min(1, 'an SSH port is 1–65535')
    .max(65535, 'an SSH port is 1–65535')
    .default(22),
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_.-]{0,31}$/, 'a Unix user name (root installs the agent)')
    .default('root'),
  auth: sshAuthSchema,
  /** Absent: trust the key the host presents on first contact (and show it). */
  hostKeySha256: sshFingerprintSchema.optional(),
  /** The node's name in cluster.conf; absent: the host's own name (`uname -n`). */
  name: z
    .string()
    .regex(bootstrapNamePattern, `a node name must ${nameRule.slice(4)}`)
    .optional(),
});
export type BootstrapHostInput = z.input<typeof bootstrapHostSchema>;
export type BootstrapHost = z.output<typeof bootstrapHostSchema>;

export const createClusterOptionsSchema = z.strictObject({
  /** `<totem token>` in ms; absent: 1000. */
  tokenMs: z
    .number({ error: 'the token timeout is a number of milliseconds' })
    .int('the token timeout is a whole number of milliseconds')
    .min(100, 'the token timeout is 100–600000 ms')
    .max(600_000, 'the token timeout is 100–600000 ms')
    .optional(),
  twoNode: z.boolean().default(false),
  waitForAll: z.boolean().default(false),
});

const hostKey = (node: { host: string; sshPort?: number | undefined }) =>
  `${node.host.toLowerCase()}:${node.sshPort ?? 22}`;

/** `POST /api/create-cluster`: the whole form; the rules that span fields are checked here. */
export const createClusterRequestSchema = z
  .strictObject({
    clusterName: newClusterNameSchema,
    /** Every node's agent password (≥ 12 characters); "Add cluster" and "Add node" ask for it. */
    agentPassword: newPasswordSchema,
    nodes: z
      .array(bootstrapHostSchema)
      .min(1, 'add at least one host')
      .max(64, 'a cluster has at most 64 nodes'),
    options: createClusterOptionsSchema.default({ twoNode: false, waitForAll: false }),
  })
  .superRefine((request, context) => {
    const seenHosts = new Set<string>();
    const seenNames = new Set<string>();
    request.nodes.forEach((node, index) => {
      const key = hostKey(node);
      if (seenHosts.has(key)) {
        context.addIssue({
          code: 'custom',
          path: ['nodes', index, 'host'],
          message: `${node.host} is listed twice`,
        });
      }
      seenHosts.add(key);
      if (node.name !== undefined) {
        if (seenNames.has(node.name)) {
          context.addIssue({
            code: 'custom',
            path: ['nodes', index, 'name'],
            message: `another node is already named ${node.name}`,
          });
        }
        seenNames.add(node.name);
      }
    });
    if (request.options.twoNode && request.nodes.length !== 2) {
      context.addIssue({
        code: 'custom',
        path: ['options', 'twoNode'],
        message: `two_node needs exactly two nodes; the form has ${request.nodes.length}`,
      });
    }
  });
export type CreateClusterRequest = z.input<typeof createClusterRequestSchema>;

/** `POST /api/clusters/:cluster/nodes`: one more host, with the cluster's agent password. */
export const addNodeRequestSchema = z.strictObject({
  node: bootstrapHostSchema,
  agentPassword: z.string().min(1, 'enter the cluster’s agent password').max(1024),
});
export type AddNodeRequest = z.input<typeof addNodeRequestSchema>;

/** SSH access to a node being removed: given, the agent is stopped and uninstalled there. */
export const uninstallAccessSchema = z.strictObject({
  sshPort: bootstrapHostSchema.shape.sshPort,
  user: bootstrapHostSchema.shape.user,
  auth: sshAuthSchema,
  hostKeySha256: sshFingerprintSchema.optional(),
});
export type UninstallAccess = z.input<typeof uninstallAccessSchema>;

/** `POST /api/clusters/:cluster/nodes/:node/delete`. */
export const deleteNodeRequestSchema = z.strictObject({
  /** Absent: the node leaves cluster.conf and its agent is left as it is. */
  uninstall: uninstallAccessSchema.optional(),
});
export type DeleteNodeRequest = z.input<typeof deleteNodeRequestSchema>;

/** `POST /api/clusters/:cluster/delete`: uninstall on every node given, then forget it. */
export const deleteClusterRequestSchema = z.strictObject({
  /** Node name → SSH access; empty: only forget the cluster in this console. */
  uninstall: z.record(z.string().min(1).max(255), uninstallAccessSchema).default({}),
});
export type DeleteClusterRequest = z.input<typeof deleteClusterRequestSchema>;

// ---- Tasks: long work with per-node progress ------------------------------------------------

export const bootstrapSteps = [
  'connect',
  'check',
  'copy',
  'install',
  'join',
  'start',
  'quorum',
  'undo',
  'cleanup',
  'stop',
  'uninstall',
  'register',
] as const;
export const bootstrapStepSchema = z.enum(bootstrapSteps);
export type BootstrapStepName = z.infer<typeof bootstrapStepSchema>;

/** What each step does, in the words the progress view shows. */
export const bootstrapStepTitles: Record<BootstrapStepName, string> = {
  connect: 'Connect over SSH',
  check: 'Check the host',
  copy: 'Copy and verify the agent',
  install: 'Install, certificates, config',
  join: 'Join cluster.conf',
  start: 'Start the agent',
  quorum: 'Wait for quorum',
  undo: 'Undo',
  cleanup: 'Clean up',
  stop: 'Stop the agent',
  uninstall: 'Uninstall',
  register: 'Register in the console',
};

export const taskStepSchema = z.strictObject({
  step: bootstrapStepSchema,
  state: z.enum(['running', 'done', 'failed']),
  detail: z.string().max(8000).optional(),
});
export type TaskStep = z.infer<typeof taskStepSchema>;

export const taskNodeSchema = z.strictObject({
  /** The host as the form named it (`host`, or `host:port` for an SSH port other than 22). */
  node: z.string().max(300),
  steps: z.array(taskStepSchema).max(40),
});
export type TaskNode = z.infer<typeof taskNodeSchema>;

export const taskFailureSchema = z.strictObject({
  node: z.string().max(300),
  step: z.string().max(40),
  kind: z.string().max(60),
  message: z.string().max(8000),
});
export type TaskFailure = z.infer<typeof taskFailureSchema>;

export const taskKindSchema = z.enum([
  'create-cluster',
  'add-node',
  'delete-node',
  'delete-cluster',
]);
export type TaskKind = z.infer<typeof taskKindSchema>;

export const taskViewSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  kind: taskKindSchema,
  cluster: z.string().max(255),
  /** The node added or deleted (add-node, delete-node). */
  subject: z.string().max(300).nullable(),
  state: z.enum(['running', 'done', 'failed']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  nodes: z.array(taskNodeSchema).max(64),
  failures: z.array(taskFailureSchema).max(200),
  /** Hosts where something had been installed and was removed again. */
  undone: z.array(z.string().max(300)).max(64),
  /** The end in one sentence: "tcluster is running on 3 nodes", or what failed. */
  summary: z.string().max(8000).nullable(),
});
export type TaskView = z.infer<typeof taskViewSchema>;

export const taskStartedSchema = z.strictObject({ task: taskViewSchema });
export type TaskStarted = z.infer<typeof taskStartedSchema>;

export const taskParamsSchema = z.strictObject({ task: taskViewSchema.shape.id });

/** Pushed on `GET /api/tasks/:task/live` at once and on every change until the task ends. */
export const taskLiveMessageSchema = z.strictObject({
  type: z.literal('task'),
  task: taskViewSchema,
});
export type TaskLiveMessage = z.infer<typeof taskLiveMessageSchema>;

/**
 * What deleting a node or a cluster answered: the words of the change ("node2 was removed from
 * cluster.conf (config_version 5)"), and the uninstall task when SSH access was given.
 */
export const membershipOutcomeSchema = z.strictObject({
  text: z.string().max(4000),
  task: taskViewSchema.nullable(),
});
export type MembershipOutcome = z.infer<typeof membershipOutcomeSchema>;
