import { loginRequestSchema, passwordChangeSchema, sessionInfoSchema } from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { sessionCookieName } from '../auth/session-manager.js';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import { sessionInfo } from './session-info.js';

/** Answers 429 with Retry-After while the limiter holds this user and address. */
function refuseWhileLocked(app: FastifyInstance, address: string, user: string, now: number) {
  const waitMs = app.loginLimiter.retryAfterMs(address, user, now);
  if (waitMs === 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  throw new ConsoleError(
    'CONSOLE_LOGIN_RATE_LIMITED',
    `too many wrong passwords; try again in ${seconds} s`,
    { headers: { 'retry-after': String(seconds) } },
  );
}

const cookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'strict' } as const;

export async function sessionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/session',
    { config: { access: { kind: 'signed-in' } }, schema: { response: { 200: sessionInfoSchema } } },
    async (request) => sessionInfo(app, request.principal!),
  );

  app.post(
    '/api/session',
    {
      config: { access: { kind: 'anyone' }, audit: 'session.login' },
      schema: { body: loginRequestSchema, response: { 200: sessionInfoSchema } },
    },
    async (request, reply) => {
      const { user: name, password } = request.body;
      request.auditNote.user = name;
      if (app.store.users.count() === 0) throw new ConsoleError('CONSOLE_NOT_SET_UP');
      const now = app.now();
      refuseWhileLocked(app, request.ip, name, now);
      const user = app.store.users.byName(name);
      if (!user || !(await app.passwords.verify(password, user.passwordHash))) {
        app.loginLimiter.recordFailure(request.ip, name, now);
        throw new ConsoleError('CONSOLE_LOGIN_FAILED');
      }
      app.loginLimiter.recordSuccess(request.ip, name);
      const { token, session } = app.sessions.start(user);
      reply.setCookie(sessionCookieName, token, cookieOptions);
      return sessionInfo(app, { user, session });
    },
  );

  app.delete(
    '/api/session',
    { config: { access: { kind: 'signed-in' }, audit: 'session.logout' } },
    async (request, reply) => {
      const { session } = request.principal!;
      app.sessions.end(session);
      app.live.endSession(session.tokenHash, 'signed-out');
      reply.clearCookie(sessionCookieName, cookieOptions);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/session/password',
    {
      config: { access: { kind: 'signed-in' }, audit: 'session.password' },
      schema: { body: passwordChangeSchema },
    },
    async (request, reply) => {
      const { user, session } = request.principal!;
      // Guessing the current password through a stolen session counts like guessing at login.
      refuseWhileLocked(app, request.ip, user.name, app.now());
      if (!(await app.passwords.verify(request.body.currentPassword, user.passwordHash))) {
        app.loginLimiter.recordFailure(request.ip, user.name, app.now());
        throw new ConsoleError('CONSOLE_FORBIDDEN', 'the current password is wrong', {
          field: 'currentPassword',
        });
      }
      app.store.users.setPasswordHash(user.id, await app.passwords.hash(request.body.newPassword));
      // Every other session of this user ends: a changed password locks out whoever had it.
      app.store.sessions.deleteForUser(user.id, session.tokenHash);
      app.live.sweep();
      return reply.status(204).send();
    },
  );
}
