import { auditPageSchema, auditQuerySchema } from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';

export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/audit',
    {
      config: { access: { kind: 'admin' } },
      schema: { querystring: auditQuerySchema, response: { 200: auditPageSchema } },
    },
    async (request) => ({
      entries: app.store.audit.page(request.query.limit, request.query.before),
    }),
  );
}
