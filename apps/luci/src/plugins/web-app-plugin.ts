import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Whether `webDir` holds a built web app (apps/web's `vite build`). */
export const hasWebApp = (webDir: string | null): webDir is string =>
  webDir !== null && existsSync(join(webDir, 'index.html'));

/**
 * Serves the built single-page app from the console's own origin. Hashed assets are cached for a
 * year; index.html is revalidated every time so a new console release is picked up at once.
 */
export const webAppPlugin = fp<{ webDir: string }>(async (app: FastifyInstance, { webDir }) => {
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: true,
    setHeaders: (reply, path) => {
      const immutable = path.includes(`${join(webDir, 'assets')}/`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
});
