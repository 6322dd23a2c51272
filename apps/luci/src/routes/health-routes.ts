import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance) {
  app.get('/api/health', { config: { access: { kind: 'anyone' } } }, async () => ({
    status: 'ok',
  }));
}
