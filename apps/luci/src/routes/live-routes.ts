import type { FastifyInstance } from 'fastify';

/** One WebSocket per browser tab; the server pushes, the browser only listens. */
export async function liveRoutes(app: FastifyInstance) {
  app.get(
    '/api/live',
    { websocket: true, config: { access: { kind: 'signed-in' }, passive: true } },
    (socket, request) => {
      // Anything the browser sends is ignored: the socket carries pushes only.
      socket.on('message', () => undefined);
      app.live.add(socket, request.principal!.session.tokenHash);
    },
  );
}
