import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { redactSecrets } from '../auth/redact.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One audit entry per state-changing request, whatever its outcome: who, when, on which
 * cluster, what (the route's audit action and its request, secrets redacted) and the result.
 */
export const auditPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onResponse', async (request, reply) => {
    const action = request.routeOptions.config.audit;
    if (!action) return;
    const params = (request.params ?? {}) as { cluster?: string; user?: string };
    const status = reply.statusCode;
    // A request refused before the auth hook ran (another site's) has no note yet.
    const note = request.auditNote ?? {};
    app.store.audit.append({
      at: app.now(),
      user: request.principal?.user.name ?? note.user ?? null,
      cluster: params.cluster ?? note.cluster ?? null,
      action,
      target: params.user ?? note.target ?? null,
      details: isRecord(request.body)
        ? (redactSecrets(request.body) as Record<string, unknown>)
        : {},
      result: status < 400 ? 'ok' : status >= 500 ? 'failed' : 'refused',
      errorCode: request.errorCode,
    });
  });
});
