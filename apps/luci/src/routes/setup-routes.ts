import { firstAdminName, setupRequestSchema, setupStatusSchema } from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';

/**
 * First start: while the console has no user at all, anyone who reaches it may set the
 * administrator's password, once. There is no default password anywhere.
 */
export async function setupRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/setup',
    { config: { access: { kind: 'anyone' } }, schema: { response: { 200: setupStatusSchema } } },
    async () => ({ needsSetup: app.store.users.count() === 0 }),
  );
  app.post(
    '/api/setup',
    {
      config: { access: { kind: 'anyone' }, audit: 'console.setup' },
      schema: { body: setupRequestSchema, response: { 201: setupStatusSchema } },
    },
    async (request, reply) => {
      request.auditNote.target = firstAdminName;
      if (app.store.users.count() > 0) throw new ConsoleError('CONSOLE_ALREADY_SET_UP');
      const passwordHash = await app.passwords.hash(request.body.password);
      // Checked again inside one transaction: two racing first starts create one admin.
      const created = app.store.users.createFirst({
        name: firstAdminName,
        passwordHash,
        now: app.now(),
      });
      if (!created) throw new ConsoleError('CONSOLE_ALREADY_SET_UP');
      return reply.status(201).send({ needsSetup: false });
    },
  );
}
