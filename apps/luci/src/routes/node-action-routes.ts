import {
  actionOutcomeSchema,
  type ControlAction,
  emptyBodySchema,
  type MemberStatus,
  nodeActionParamsSchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { TaskCutOff } from '../cluster-link/agent-session.js';
import type { ClusterLink } from '../cluster-link/cluster-link.js';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import { connectedLink, nodeOutcome, requestAction } from './action-outcome.js';

const routeSchema = {
  params: nodeActionParamsSchema,
  body: emptyBodySchema,
  response: { 200: actionOutcomeSchema },
};
const access = { kind: 'cluster', role: 'node-commands' } as const;

/** cman_tool leave as the node runs it: it stops or moves its services, then goes. */
const leave: ControlAction = {
  type: 'node',
  request: { kind: 'leave', remove: false, force: false },
};

/** `node` in the status the agents last pushed; 404 when the cluster has no such node. */
function memberOf(link: ClusterLink, cluster: string, node: string): MemberStatus {
  const member = link.snapshot()?.status.members.find((m) => m.name === node);
  if (!member) {
    throw new ConsoleError('CONSOLE_NOT_FOUND', `cluster "${cluster}" has no node named "${node}"`);
  }
  return member;
}

/**
 * Node commands: cman_tool leave (asked of that node's own agent, since a node leaves by
 * itself) and fence_node (asked of any agent; the leader fences). Each needs the node-commands
 * role, is audited with the node as target, and is answered with the agent's words.
 */
export async function nodeActionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/clusters/:cluster/nodes/:node/leave',
    { config: { access, audit: 'node.leave' }, schema: routeSchema },
    async (request) => {
      const { cluster, node } = request.params;
      request.auditNote.target = node;
      const link = connectedLink(cluster, app.clusterRegistry.linkOf(cluster));
      if (!memberOf(link, cluster, node).online) {
        throw new ConsoleError(
          'CONSOLE_CONFLICT',
          `${node} is not a member of cluster "${cluster}" now: only a member can leave`,
        );
      }
      // Marked before asking: the node may be gone before its answer is read.
      app.clusterWatch.expectLeave(cluster, node, true);
      const command = `cman_tool leave on ${node}`;
      try {
        return nodeOutcome(command, await requestAction(cluster, link, leave, node));
      } catch (error) {
        // A leaving agent closes its console links: after it took the request, that is no failure.
        if (error instanceof ConsoleError && error.cause instanceof TaskCutOff) {
          return { text: `${command}: accepted; its agent closed the link as it leaves` };
        }
        app.clusterWatch.expectLeave(cluster, node, false);
        throw error;
      }
    },
  );

  app.post(
    '/api/clusters/:cluster/nodes/:node/fence',
    { config: { access, audit: 'node.fence' }, schema: routeSchema },
    async (request) => {
      const { cluster, node } = request.params;
      request.auditNote.target = node;
      const link = connectedLink(cluster, app.clusterRegistry.linkOf(cluster));
      memberOf(link, cluster, node);
      const fence: ControlAction = { type: 'node', request: { kind: 'fence', node } };
      return nodeOutcome(`fence_node ${node}`, await requestAction(cluster, link, fence));
    },
  );
}
