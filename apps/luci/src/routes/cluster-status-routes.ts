import {
  actionOutcomeSchema,
  clusterNameSchema,
  clusterStatusViewSchema,
  emptyBodySchema,
  nodeActionParamsSchema,
  type ServiceAction,
  type ServiceActionBody,
  serviceActionBodySchema,
  serviceActionParamsSchema,
  serviceActions,
  type WireRmRequest,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import { clusterStatusViewFor } from '../live/status-view.js';
import {
  fenceAckOutcome,
  lockOutcome,
  requestAction,
  serviceActionWords,
  serviceOutcome,
} from './action-outcome.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });
const outcome = { 200: actionOutcomeSchema };

/**
 * A cluster's live status and the actions on it: clusvcadm's service requests and lock,
 * fence_ack_manual. Each action is checked against the user's role, audited, sent to the
 * cluster through its link, and answered in the words the command line prints.
 */
export async function clusterStatusRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/clusters/:cluster/status',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: { params: clusterParams, response: { 200: clusterStatusViewSchema } },
    },
    async (request) => {
      const { user } = request.principal!;
      const view = clusterStatusViewFor(
        app.clusterRegistry,
        app.store,
        user,
        request.params.cluster,
      );
      if (!view)
        throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${request.params.cluster}"`);
      return view;
    },
  );

  for (const action of serviceActions) serviceActionRoute(fastify, action);

  for (const locked of [true, false]) {
    const verb = locked ? 'lock' : 'unlock';
    app.post(
      `/api/clusters/:cluster/${verb}`,
      {
        config: { access: { kind: 'cluster', role: 'service-commands' }, audit: `cluster.${verb}` },
        schema: { params: clusterParams, body: emptyBodySchema, response: outcome },
      },
      async (request) => {
        const { cluster } = request.params;
        const link = app.clusterRegistry.linkOf(cluster);
        const result = await requestAction(cluster, link, { type: 'rm', request: { kind: verb } });
        return lockOutcome(locked, result);
      },
    );
  }

  app.post(
    '/api/clusters/:cluster/nodes/:node/fence-ack',
    {
      config: { access: { kind: 'cluster', role: 'node-commands' }, audit: 'node.fence-ack' },
      schema: { params: nodeActionParamsSchema, body: emptyBodySchema, response: outcome },
    },
    async (request) => {
      const { cluster, node } = request.params;
      request.auditNote.target = node;
      const link = app.clusterRegistry.linkOf(cluster);
      return fenceAckOutcome(await requestAction(cluster, link, { type: 'fence-ack', node }));
    },
  );
}

function rmRequest(
  action: ServiceAction,
  service: string,
  node: string | undefined,
): WireRmRequest {
  if (action === 'migrate') return { kind: action, service, target: node ?? '' };
  if (action === 'enable' || action === 'relocate') {
    return node === undefined ? { kind: action, service } : { kind: action, service, target: node };
  }
  return { kind: action, service };
}

function serviceActionRoute(fastify: FastifyInstance, action: ServiceAction) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    `/api/clusters/:cluster/services/:service/${action}`,
    {
      config: { access: { kind: 'cluster', role: 'service-commands' }, audit: `service.${action}` },
      schema: {
        params: serviceActionParamsSchema,
        body: serviceActionBodySchema(action),
        response: outcome,
      },
    },
    async (request) => {
      const { cluster, service } = request.params;
      const body: ServiceActionBody = request.body;
      request.auditNote.target = service;
      const link = app.clusterRegistry.linkOf(cluster);
      const result = await requestAction(cluster, link, {
        type: 'rm',
        request: rmRequest(action, service, body.node),
      });
      return serviceOutcome(action, serviceActionWords(action, service, body.node), result);
    },
  );
}
