import {
  addClusterRequestSchema,
  clusterListSchema,
  clusterNameSchema,
  clusterRoles,
  clusterSummarySchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });

/** The cluster registry: list what the user may view; add (administrators); remove. */
export async function clustersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/clusters',
    { config: { access: { kind: 'signed-in' } }, schema: { response: { 200: clusterListSchema } } },
    async (request) => ({ clusters: app.clusterRegistry.listFor(request.principal!.user) }),
  );

  app.post(
    '/api/clusters',
    {
      config: { access: { kind: 'admin' }, audit: 'cluster.add' },
      schema: { body: addClusterRequestSchema, response: { 201: clusterSummarySchema } },
    },
    async (request, reply) => {
      request.auditNote.target = request.body.address;
      const row = await app.clusterRegistry.add(request.body, request.principal!.user.name);
      request.auditNote.cluster = row.name;
      return reply.status(201).send(app.clusterRegistry.summary(row, [...clusterRoles]));
    },
  );

  app.delete(
    '/api/clusters/:cluster',
    {
      config: { access: { kind: 'cluster', role: 'remove' }, audit: 'cluster.remove' },
      schema: { params: clusterParams },
    },
    async (request, reply) => {
      const row = app.store.clusters.byName(request.params.cluster);
      if (!row)
        throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${request.params.cluster}"`);
      app.clusterRegistry.remove(row);
      return reply.status(204).send();
    },
  );
}
