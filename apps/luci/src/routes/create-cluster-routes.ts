import {
  addNodeRequestSchema,
  type BootstrapHost,
  clusterNameSchema,
  createClusterRequestSchema,
  deleteClusterRequestSchema,
  deleteNodeRequestSchema,
  membershipOutcomeSchema,
  nodeActionParamsSchema,
  type TaskLiveMessage,
  type TaskView,
  taskParamsSchema,
  taskStartedSchema,
  taskViewSchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { ConsoleBootstrap } from '../bootstrap/bootstrap-backend.js';
import type { BootstrapNode, ClusterPlan } from '../bootstrap/bootstrap-plan.js';
import { checkPlan, PlanError } from '../bootstrap/bootstrap-plan.js';
import type { BootstrapTasks, TaskContext, TaskEnd } from '../bootstrap/bootstrap-tasks.js';
import { commitEdit, MembershipRefusal } from '../bootstrap/cluster-membership.js';
import {
  addNodeWork,
  deleteClusterWork,
  hostLabel,
  uninstallOne,
} from '../bootstrap/membership-tasks.js';
import type { ClusterLink, ClusterSnapshot } from '../cluster-link/cluster-link.js';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';

export interface CreateClusterRoutesOptions {
  readonly bootstrap: ConsoleBootstrap;
  readonly tasks: BootstrapTasks;
}

const AGENT_PORT = 11111;

/**
 * Creating a cluster from bare hosts over SSH (issue 11 item 1): the request starts a task and
 * returns at once; the browser follows the task's per-node steps live on its own socket. On
 * success the cluster is registered exactly as "Add cluster" registers an existing one.
 */
export async function createClusterRoutes(
  fastify: FastifyInstance,
  options: CreateClusterRoutesOptions,
) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { tasks } = options;

  app.post(
    '/api/create-cluster',
    {
      config: { access: { kind: 'admin' }, audit: 'cluster.create' },
      schema: { body: createClusterRequestSchema, response: { 202: taskStartedSchema } },
    },
    async (request, reply) => {
      const body = request.body;
      request.auditNote.cluster = body.clusterName;
      request.auditNote.target = body.nodes.map((node) => node.host).join(' ');
      refuseClashes(app, tasks, body.clusterName, body.nodes);
      if (!app.clusterRegistry.linkAvailable) {
        throw new ConsoleError(
          'CONSOLE_LINK_UNAVAILABLE',
          'this console cannot connect to agents, so it could not manage the new cluster',
        );
      }
      const plan = checkedPlan({
        clusterName: body.clusterName,
        agentPassword: body.agentPassword,
        nodes: body.nodes.map(toBootstrapNode),
        options: body.options,
      });
      const task = tasks.start(
        {
          kind: 'create-cluster',
          cluster: plan.clusterName,
          createdBy: request.principal!.user.name,
          nodes: plan.nodes.map(hostLabel),
        },
        (context) =>
          createCluster(app, options.bootstrap, plan, context, request.principal!.user.name),
      );
      return reply.status(202).send({ task });
    },
  );

  app.get(
    '/api/tasks/:task',
    {
      config: { access: { kind: 'signed-in' } },
      schema: { params: taskParamsSchema, response: { 200: taskStartedSchema } },
    },
    async (request) => {
      const task = tasks.viewFor(request.params.task, request.principal!.user);
      if (!task) throw new ConsoleError('CONSOLE_NOT_FOUND', 'no such task in this console');
      return { task };
    },
  );

  app.get(
    '/api/tasks/:task/live',
    {
      websocket: true,
      config: { access: { kind: 'signed-in' }, passive: true },
      schema: { params: taskParamsSchema },
    },
    (socket, request) => {
      socket.on('message', () => undefined);
      const { task: id } = request.params as { task: string };
      const task = tasks.viewFor(id, request.principal!.user);
      if (!task) {
        socket.close(4404, 'no such task');
        return;
      }
      followTask(socket, tasks, id, task);
    },
  );

  membershipRoutes(fastify, options);
}

/** Pushes the task now and on every change; closes the socket once the task has ended. */
function followTask(socket: WebSocket, tasks: BootstrapTasks, id: string, current: TaskView): void {
  const push = (task: TaskView) => {
    const message: TaskLiveMessage = { type: 'task', task: taskViewSchema.parse(task) };
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    if (task.state !== 'running') socket.close(1000, 'task ended');
  };
  const unsubscribe = tasks.subscribe(id, push);
  socket.on('close', unsubscribe);
  push(current);
}

/** A name or host another cluster (or a running creation) already has is refused at its field. */
function refuseClashes(
  app: FastifyInstance,
  tasks: BootstrapTasks,
  clusterName: string,
  nodes: readonly BootstrapHost[],
): void {
  if (app.store.clusters.byName(clusterName) || tasks.creating(clusterName)) {
    throw new ConsoleError(
      'CONSOLE_CONFLICT',
      `this console already has a cluster named "${clusterName}"`,
      { field: 'clusterName' },
    );
  }
  const owners = new Map<string, string>();
  for (const cluster of app.store.clusters.list()) {
    for (const node of app.store.clusters.nodes(cluster.id)) {
      owners.set(node.address.toLowerCase(), `${node.name} of cluster "${cluster.name}"`);
    }
  }
  nodes.forEach((node, index) => {
    const owner = owners.get(node.host.toLowerCase());
    if (owner) {
      throw new ConsoleError('CONSOLE_CONFLICT', `${node.host} is already ${owner}`, {
        field: `nodes.${index}.host`,
      });
    }
  });
}

export function toBootstrapNode(node: BootstrapHost): BootstrapNode {
  return {
    host: node.host,
    sshPort: node.sshPort,
    user: node.user,
    auth: node.auth,
    hostKey: node.hostKeySha256
      ? { kind: 'pinned', sha256: node.hostKeySha256 }
      : { kind: 'trust-on-first-use' },
    ...(node.name === undefined ? {} : { name: node.name }),
  };
}

/** The bootstrap's own plan check, its field paths (`nodes[1].host`) in the API's dotted form. */
function checkedPlan(plan: ClusterPlan, nodesField = 'nodes'): ClusterPlan {
  try {
    return checkPlan(plan);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    const first = error.issues[0]!;
    const dotted = first.field.replace(/\[(\d+)\]/g, '.$1');
    // One node (add-node): `nodes.0.host` is the form's `node.host`.
    const field = nodesField === 'nodes' ? dotted : dotted.replace(/^nodes\.0/, nodesField);
    throw new ConsoleError('CONSOLE_INVALID_REQUEST', `${field}: ${first.message}`, { field });
  }
}

async function createCluster(
  app: FastifyInstance,
  bootstrap: ConsoleBootstrap,
  plan: ClusterPlan,
  context: TaskContext,
  createdBy: string,
): Promise<TaskEnd> {
  const outcome = await bootstrap.backend.createCluster(plan, context.progress);
  if (!outcome.ok) {
    return {
      ok: false,
      summary: failureSummary(plan.clusterName, outcome.failures, outcome.undone),
      failures: [...outcome.failures, ...outcome.undoFailures],
      undone: outcome.undone,
    };
  }
  bootstrap.caKeeper.save(plan.clusterName, outcome.ca);
  const first = plan.nodes[0]!;
  const label = hostLabel(first);
  context.progress({ node: label, step: 'register', state: 'running' });
  try {
    await app.clusterRegistry.add(
      {
        address: first.host.replace(/^\[|\]$/g, ''),
        port: AGENT_PORT,
        agentPassword: plan.agentPassword,
      },
      createdBy,
    );
  } catch (error) {
    const message = `${plan.clusterName} runs, but the console could not register it: ${(error as Error).message}; add it with "Add cluster"`;
    context.progress({ node: label, step: 'register', state: 'failed', detail: message });
    return {
      ok: false,
      summary: message,
      failures: [{ node: label, step: 'register', kind: 'register-failed', message }],
    };
  }
  context.progress({
    node: label,
    step: 'register',
    state: 'done',
    detail: `${plan.clusterName} is in the console's cluster list`,
  });
  const names = outcome.nodes.map((node) => node.name).join(', ');
  return {
    ok: true,
    summary: `${plan.clusterName} is running on ${outcome.nodes.length} node${outcome.nodes.length === 1 ? '' : 's'} (${names}) and is quorate`,
  };
}

export function failureSummary(
  cluster: string,
  failures: readonly { message: string }[],
  undone: readonly string[],
): string {
  const what = failures.map((failure) => failure.message).join('; ');
  const after =
    undone.length === 0
      ? 'nothing was installed on any host'
      : `what was installed was removed again from ${undone.join(', ')}`;
  return `${cluster} was not created: ${what}. ${after[0]!.toUpperCase()}${after.slice(1)}.`;
}

const clusterParams = z.strictObject({ cluster: clusterNameSchema });

/** The cluster's open link and its latest snapshot, or 503 naming the cluster. */
function liveLink(app: FastifyInstance, cluster: string) {
  const link = app.clusterRegistry.linkOf(cluster);
  const snapshot = link?.snapshot();
  if (!link || !snapshot || link.state().state !== 'connected') {
    throw new ConsoleError(
      'CONSOLE_LINK_UNAVAILABLE',
      `no agent of ${cluster} is reachable now: the cluster must be running to change its nodes`,
    );
  }
  return { link, snapshot };
}

/**
 * The nodes of the committed configuration as the agents report them (the link's own node list
 * also keeps nodes it once knew), each with the address the console reaches its agent at.
 */
function currentNodes(snapshot: ClusterSnapshot): { name: string; address: string }[] {
  return snapshot.status.members
    .filter((member) => !member.estranged)
    .map((member) => ({
      name: member.name,
      address:
        snapshot.nodes.find((node) => node.name === member.name)?.address ??
        member.addresses[0] ??
        member.name,
    }));
}

function uninstallTarget(
  access: UninstallAccessOutput,
  node: { name: string; address: string },
): BootstrapNode & { name: string } {
  return {
    ...toBootstrapNode({ ...access, host: node.address }),
    name: node.name,
  };
}

type UninstallAccessOutput = Omit<BootstrapHost, 'host' | 'name'>;

/** Add a node over SSH, delete a node (and uninstall it), delete a cluster (and uninstall it). */
function membershipRoutes(fastify: FastifyInstance, options: CreateClusterRoutesOptions) {
  addNodeRoute(fastify, options);
  deleteNodeRoute(fastify, options);
  deleteClusterRoute(fastify, options);
}

/** Commits cluster.conf without the node; the cluster's refusal (`in-use` …) is a 409. */
async function removeFromConfig(link: ClusterLink, name: string): Promise<string> {
  try {
    const change = await commitEdit(link, { op: 'deleteNode', name });
    const notes = change.notes.length > 0 ? `; ${change.notes.join('; ')}` : '';
    return `${name} was removed from cluster.conf (config_version ${change.version})${notes}`;
  } catch (error) {
    if (!(error instanceof MembershipRefusal)) throw error;
    throw new ConsoleError('CONSOLE_ACTION_REFUSED', `${name} was not removed: ${error.message}`);
  }
}

/** The cluster already has this host (by address) or this node name: 409 at the host field. */
function refuseMember(
  nodes: readonly { name: string; address: string }[],
  node: BootstrapNode,
  cluster: string,
): void {
  const member = nodes.find((n) => n.address === node.host || n.name === node.name);
  if (member) {
    throw new ConsoleError(
      'CONSOLE_CONFLICT',
      `${node.host} is already ${member.name} of ${cluster}`,
      {
        field: 'node.host',
      },
    );
  }
}

function addNodeRoute(fastify: FastifyInstance, { tasks, bootstrap }: CreateClusterRoutesOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/clusters/:cluster/nodes',
    {
      config: { access: { kind: 'cluster', role: 'membership' }, audit: 'node.add' },
      schema: {
        params: clusterParams,
        body: addNodeRequestSchema,
        response: { 202: taskStartedSchema },
      },
    },
    async (request, reply) => {
      const { cluster } = request.params;
      const node = toBootstrapNode(request.body.node);
      request.auditNote.target = node.host;
      const { snapshot } = liveLink(app, cluster);
      const ca = bootstrap.caKeeper.load(cluster);
      if (!ca) {
        throw new ConsoleError(
          'CONSOLE_CONFLICT',
          `this console did not create ${cluster}, so it holds no cluster CA to issue the new node's certificate`,
        );
      }
      const nodes = currentNodes(snapshot);
      refuseMember(nodes, node, cluster);
      checkedPlan(
        { clusterName: cluster, nodes: [node], agentPassword: request.body.agentPassword },
        'node',
      );
      const members = nodes.map((n) => ({ name: n.name, host: n.address }));
      const label = hostLabel(node);
      const { agentPassword } = request.body;
      const task = tasks.start(
        {
          kind: 'add-node',
          cluster,
          subject: label,
          createdBy: request.principal!.user.name,
          nodes: [label],
        },
        (context) =>
          addNodeWork(
            bootstrap.backend,
            {
              cluster,
              node,
              members,
              ca,
              agentPassword,
              link: () => app.clusterRegistry.linkOf(cluster),
            },
            context,
          ),
      );
      return reply.status(202).send({ task });
    },
  );
}

function deleteNodeRoute(
  fastify: FastifyInstance,
  { tasks, bootstrap }: CreateClusterRoutesOptions,
) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/clusters/:cluster/nodes/:node/delete',
    {
      config: { access: { kind: 'cluster', role: 'membership' }, audit: 'node.delete' },
      schema: {
        params: nodeActionParamsSchema,
        body: deleteNodeRequestSchema,
        response: { 200: membershipOutcomeSchema },
      },
    },
    async (request) => {
      const { cluster, node: name } = request.params;
      request.auditNote.target = name;
      const { link, snapshot } = liveLink(app, cluster);
      const node = currentNodes(snapshot).find((n) => n.name === name);
      if (!node)
        throw new ConsoleError('CONSOLE_NOT_FOUND', `${cluster} has no node named ${name}`);
      const text = await removeFromConfig(link, name);
      const access = request.body.uninstall;
      if (!access) return { text, task: null };
      const target = uninstallTarget(access, node);
      const task = tasks.start(
        {
          kind: 'delete-node',
          cluster,
          subject: name,
          createdBy: request.principal!.user.name,
          nodes: [hostLabel(target)],
        },
        async (context) => {
          const failure = await uninstallOne(bootstrap.backend, target, context);
          return failure
            ? {
                ok: false,
                summary: `${text}, but its agent was not removed: ${failure.message}`,
                failures: [failure],
              }
            : { ok: true, summary: `${text}; its agent was stopped and removed` };
        },
      );
      return { text, task };
    },
  );
}

function deleteClusterRoute(
  fastify: FastifyInstance,
  { tasks, bootstrap }: CreateClusterRoutesOptions,
) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/clusters/:cluster/delete',
    {
      config: { access: { kind: 'cluster', role: 'remove' }, audit: 'cluster.delete' },
      schema: {
        params: clusterParams,
        body: deleteClusterRequestSchema,
        response: { 200: membershipOutcomeSchema },
      },
    },
    async (request) => {
      const { cluster } = request.params;
      const row = app.store.clusters.byName(cluster);
      if (!row) throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${cluster}"`);
      const snapshot = app.clusterRegistry.linkOf(cluster)?.snapshot();
      const known = snapshot ? currentNodes(snapshot) : app.store.clusters.nodes(row.id);
      const targets = Object.entries(request.body.uninstall).map(([name, access]) => {
        const node = known.find((n) => n.name === name);
        if (!node) {
          throw new ConsoleError(
            'CONSOLE_INVALID_REQUEST',
            `${cluster} has no node named ${name}`,
            {
              field: `uninstall.${name}`,
            },
          );
        }
        return uninstallTarget(access, node);
      });
      const forget = () => {
        const current = app.store.clusters.byName(cluster);
        if (current) app.clusterRegistry.remove(current);
        bootstrap.caKeeper.forget(cluster);
      };
      if (targets.length === 0) {
        forget();
        return {
          text: `${cluster} was removed from this console; its agents were left running`,
          task: null,
        };
      }
      const leftRunning = known
        .map((n) => n.name)
        .filter((name) => !targets.some((t) => t.name === name));
      const task = tasks.start(
        {
          kind: 'delete-cluster',
          cluster,
          createdBy: request.principal!.user.name,
          nodes: targets.map(hostLabel),
        },
        (context) =>
          deleteClusterWork(bootstrap.backend, cluster, targets, leftRunning, forget, context),
      );
      return { text: `Stopping and removing the agents of ${cluster}…`, task };
    },
  );
}
