import type { SessionInfo } from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../auth/session-manager.js';

export function sessionInfo(app: FastifyInstance, principal: Principal): SessionInfo {
  return {
    user: { name: principal.user.name, admin: principal.user.admin },
    csrfToken: principal.session.csrfToken,
    idleTimeoutMs: app.sessions.limits.idleMs,
    clusterLinkAvailable: app.clusterRegistry.linkAvailable,
  };
}
