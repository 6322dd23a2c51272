import {
  createUserRequestSchema,
  setRolesRequestSchema,
  type UserSummary,
  updateUserRequestSchema,
  userListSchema,
  userNameSchema,
  userSummarySchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import type { UserRow } from '../store/index.js';

const userParams = z.strictObject({ user: userNameSchema });
const admin = { kind: 'admin' } as const;
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** User management, for administrators. */
export async function usersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  const summary = (user: UserRow): UserSummary => ({
    name: user.name,
    admin: user.admin,
    createdAt: iso(user.createdAt),
    lastLoginAt: user.lastLoginAt === null ? null : iso(user.lastLoginAt),
    roles: app.store.users.grants(user.id),
  });

  const existing = (name: string): UserRow => {
    const user = app.store.users.byName(name);
    if (!user) throw new ConsoleError('CONSOLE_NOT_FOUND', `no user named "${name}"`);
    return user;
  };

  const refuseLastAdmin = (user: UserRow, what: string) => {
    if (user.admin && app.store.users.countAdmins() === 1) {
      throw new ConsoleError(
        'CONSOLE_CONFLICT',
        `${what}: "${user.name}" is the last administrator`,
      );
    }
  };

  app.get(
    '/api/users',
    { config: { access: admin }, schema: { response: { 200: userListSchema } } },
    async () => ({ users: app.store.users.list().map(summary) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: admin, audit: 'user.create' },
      schema: { body: createUserRequestSchema, response: { 201: userSummarySchema } },
    },
    async (request, reply) => {
      const { name, password, admin: isAdmin } = request.body;
      request.auditNote.target = name;
      const passwordHash = await app.passwords.hash(password);
      const user = app.store.users.create({ name, passwordHash, admin: isAdmin, now: app.now() });
      if (!user) {
        throw new ConsoleError('CONSOLE_CONFLICT', `a user named "${name}" already exists`, {
          field: 'name',
        });
      }
      return reply.status(201).send(summary(user));
    },
  );

  app.patch(
    '/api/users/:user',
    {
      config: { access: admin, audit: 'user.update' },
      schema: {
        params: userParams,
        body: updateUserRequestSchema,
        response: { 200: userSummarySchema },
      },
    },
    async (request) => {
      const user = existing(request.params.user);
      const { password, admin: isAdmin } = request.body;
      if (isAdmin === false) refuseLastAdmin(user, 'cannot take away the admin role');
      if (isAdmin !== undefined) app.store.users.setAdmin(user.id, isAdmin);
      if (password !== undefined) {
        app.store.users.setPasswordHash(user.id, await app.passwords.hash(password));
        // A reset password ends the user's other sessions (the acting admin's own one stays).
        app.store.sessions.deleteForUser(user.id, request.principal!.session.tokenHash);
        app.live.sweep();
      }
      app.live.publishClusters();
      return summary(existing(user.name));
    },
  );

  app.delete(
    '/api/users/:user',
    { config: { access: admin, audit: 'user.delete' }, schema: { params: userParams } },
    async (request, reply) => {
      const user = existing(request.params.user);
      if (user.id === request.principal!.user.id) {
        throw new ConsoleError('CONSOLE_CONFLICT', 'you cannot delete your own account');
      }
      refuseLastAdmin(user, 'cannot delete');
      app.store.users.delete(user.id);
      app.live.sweep();
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/users/:user/roles',
    {
      config: { access: admin, audit: 'user.roles' },
      schema: {
        params: userParams,
        body: setRolesRequestSchema,
        response: { 200: userSummarySchema },
      },
    },
    async (request) => {
      const user = existing(request.params.user);
      const grants = Object.entries(request.body.roles).flatMap(([clusterName, roles]) => {
        const cluster = app.store.clusters.byName(clusterName);
        if (!cluster) {
          throw new ConsoleError('CONSOLE_INVALID_REQUEST', `no cluster named "${clusterName}"`, {
            field: `roles.${clusterName}`,
          });
        }
        return roles.map((role) => ({ clusterId: cluster.id, role }));
      });
      app.store.users.replaceGrants(user.id, grants);
      app.live.publishClusters();
      return summary(user);
    },
  );
}
