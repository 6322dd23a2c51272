import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import { csrfHeaderName } from '@quorate/protocol';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Access } from '../app-types.js';
import type { Principal } from '../auth/session-manager.js';
import { sessionCookieName } from '../auth/session-manager.js';
import { ConsoleError } from '../errors/console-error.js';
import { isStateChanging } from './security-plugin.js';

const stateChangingMethods = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** buildApp refuses an API route that does not say who may call it or, if it changes state, how the audit log names it. */
export function checkRouteDeclarations(route: RouteOptions): void {
  if (!route.url.startsWith('/api/')) return;
  const methods = [route.method].flat();
  const label = `${methods.join(',')} ${route.url}`;
  if (!route.config?.access) throw new Error(`route ${label} declares no access rule`);
  if (methods.some((m) => stateChangingMethods.includes(m)) && !route.config.audit) {
    throw new Error(`route ${label} changes state but declares no audit action`);
  }
}

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The one place roles are enforced: every route's declared `access`, checked before its body is validated. */
function checkAccess(
  app: FastifyInstance,
  request: FastifyRequest,
  access: Exclude<Access, { kind: 'anyone' }>,
  principal: Principal,
) {
  const user = principal.user;
  if (access.kind === 'signed-in') return;
  if (access.kind === 'admin') {
    if (!user.admin)
      throw new ConsoleError('CONSOLE_FORBIDDEN', 'only an administrator may do this');
    return;
  }
  const name = (request.params as { cluster?: string }).cluster ?? '';
  const cluster = app.store.clusters.byName(name);
  const roles = cluster ? app.clusterRegistry.rolesOf(user, cluster) : [];
  if (!cluster || !roles.includes('view')) {
    throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${name}" in this console`);
  }
  if (!roles.includes(access.role)) {
    throw new ConsoleError(
      'CONSOLE_FORBIDDEN',
      `this needs the ${access.role} role on cluster "${name}", which ${user.name} does not hold`,
    );
  }
}

export const authPlugin = fp(async (app: FastifyInstance) => {
  await app.register(cookie);
  app.decorateRequest('principal', null);
  // Set per request in onRequest; a shared default object would leak between requests.
  app.decorateRequest('auditNote', null as unknown as FastifyRequest['auditNote']);
  app.addHook('onRoute', checkRouteDeclarations);
  app.addHook('onRequest', async (request) => {
    request.auditNote = {};
    const token = request.cookies[sessionCookieName];
    request.principal = token ? app.sessions.resolve(token) : null;
  });
  app.addHook('preValidation', async (request) => {
    const { access, passive } = request.routeOptions.config;
    if (!access || access.kind === 'anyone') return;
    const principal = request.principal;
    if (!principal)
      throw new ConsoleError('CONSOLE_NOT_SIGNED_IN', 'sign in first; your session may have ended');
    if (
      isStateChanging(request) &&
      !sameToken(request.headers[csrfHeaderName], principal.session.csrfToken)
    ) {
      throw new ConsoleError(
        'CONSOLE_CSRF_TOKEN',
        `send the session's CSRF token in the ${csrfHeaderName} header`,
      );
    }
    if (!passive) app.sessions.touch(principal.session);
    checkAccess(app, request, access, principal);
  });
});
