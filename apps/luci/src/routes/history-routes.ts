import {
  agentLogsQuerySchema,
  agentLogsSchema,
  clusterNameSchema,
  nodeActionParamsSchema,
  serviceHistoryParamsSchema,
  serviceHistorySchema,
  timelinePageSchema,
  timelineQuerySchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import { serviceHistoryEvents, timelinePage } from '../live/event-history.js';
import { serviceHistory } from '../live/service-history.js';
import type { ClusterRow } from '../store/index.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });
/** An agent that does not answer `logs` within this is reported unreachable. */
export const agentLogsTimeoutMs = 10_000;

/**
 * A cluster's history for anyone who may view it: the events timeline with filters, one
 * service's history, and one node's agent log lines (as the agent sends them: its log carries
 * no secrets, so the console passes the lines through unchanged).
 */
export async function historyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const clusterRow = (name: string): ClusterRow => {
    const row = app.store.clusters.byName(name);
    if (!row) throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${name}"`);
    return row;
  };

  app.get(
    '/api/clusters/:cluster/events',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: {
        params: clusterParams,
        querystring: timelineQuerySchema,
        response: { 200: timelinePageSchema },
      },
    },
    async (request) =>
      timelinePage(app.store.db, clusterRow(request.params.cluster).id, request.query),
  );

  app.get(
    '/api/clusters/:cluster/services/:service/history',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: { params: serviceHistoryParamsSchema, response: { 200: serviceHistorySchema } },
    },
    async (request) => {
      const { cluster, service } = request.params;
      const row = clusterRow(cluster);
      const status = app.clusterRegistry.linkOf(cluster)?.snapshot()?.status ?? null;
      const current = status?.services.find((s) => s.id === service) ?? null;
      const events = serviceHistoryEvents(app.store.db, row.id, service);
      if (!current && !events.some((e) => e.kind === 'service')) {
        throw new ConsoleError('CONSOLE_NOT_FOUND', `no service named "${service}"`);
      }
      return serviceHistory(service, events, current);
    },
  );

  app.get(
    '/api/clusters/:cluster/nodes/:node/logs',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: {
        params: nodeActionParamsSchema,
        querystring: agentLogsQuerySchema,
        response: { 200: agentLogsSchema },
      },
    },
    async (request) => {
      const { cluster, node } = request.params;
      const link = app.clusterRegistry.linkOf(cluster);
      if (!link) {
        throw new ConsoleError('CONSOLE_LINK_UNAVAILABLE', 'no agent of this cluster is reachable');
      }
      const members = link.snapshot()?.status.members ?? [];
      if (!members.some((m) => m.name === node)) {
        throw new ConsoleError('CONSOLE_NOT_FOUND', `no node named "${node}" in ${cluster}`);
      }
      const lines = await withTimeout(link.logs(node, request.query.limit), node);
      return { node, lines: [...lines] };
    },
  );
}

function withTimeout<T>(promise: Promise<T>, node: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new ConsoleError(
            'CONSOLE_LINK_UNAVAILABLE',
            `${node}'s agent sent no log lines within ${agentLogsTimeoutMs / 1000} s`,
          ),
        ),
      agentLogsTimeoutMs,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(
          error instanceof ConsoleError
            ? error
            : new ConsoleError(
                'CONSOLE_LINK_UNAVAILABLE',
                `${node}'s agent did not answer: ${(error as Error).message}`,
              ),
        );
      },
    );
  });
}
