import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ConsoleError } from '../errors/console-error.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isStateChanging = (request: FastifyRequest): boolean =>
  !safeMethods.has(request.method);

const isWebSocketUpgrade = (request: FastifyRequest): boolean =>
  request.headers.upgrade?.toLowerCase() === 'websocket';

/**
 * Refuses a state-changing request or a WebSocket handshake unless its Origin is this console
 * itself. Browsers send Origin on both, so a page on another site cannot drive the console
 * with the user's cookie (the cookie is SameSite=Strict as well; this is the second lock).
 */
export function checkSameOrigin(request: FastifyRequest): void {
  if (!isStateChanging(request) && !isWebSocketUpgrade(request)) return;
  const origin = request.headers.origin;
  if (!origin) {
    throw new ConsoleError(
      'CONSOLE_CROSS_SITE',
      'the request has no Origin header; send one naming this console',
    );
  }
  const expected = `${request.protocol}://${request.headers.host ?? ''}`;
  if (origin !== expected) {
    throw new ConsoleError(
      'CONSOLE_CROSS_SITE',
      `a request from ${origin} may not change this console (${expected})`,
    );
  }
}

/** Security headers, JSON-only bodies, and the same-origin rule. */
export const securityPlugin = fp(async (app: FastifyInstance) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The console is always served over HTTPS; tell browsers to insist on it.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
  // A cross-site HTML form can send text/plain without a preflight; accept JSON alone.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request) => checkSameOrigin(request));
  // A refused WebSocket handshake is an HTTP answer on a socket Node's HTTP server no longer
  // manages (an accepted one never finishes a response): end it, or it stays open for good.
  app.addHook('onSend', async (request, reply) => {
    if (isWebSocketUpgrade(request)) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request) => {
    if (isWebSocketUpgrade(request)) request.raw.socket.end();
  });
});
