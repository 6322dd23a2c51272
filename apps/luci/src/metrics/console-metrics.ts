// The console's `/metrics` (Prometheus text format): HTTP requests and their durations by route
// and status, accounts, registered clusters and the state of each cluster's agent link. Only
// counts and states, never names of users or anything secret, so it is open to scrapers as
// `/api/health` is; put the console behind a firewall that keeps `/metrics` to the monitoring
// network if even that is too much.
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const LINK_STATES = ['unavailable', 'connecting', 'connected', 'lost'] as const;

export const metricsPlugin = fp(async (app: FastifyInstance) => {
  const registry = new MetricsRegistry();
  registry
    .gauge('quorate_console_start_time_seconds', 'When the console started, in Unix seconds.')
    .set({}, app.now() / 1000);
  const requests = registry.counter(
    'quorate_console_http_requests_total',
    'HTTP requests answered, by method, route and status code.',
  );
  const durations = registry.histogram(
    'quorate_console_http_request_duration_seconds',
    'How long HTTP requests took, by method and route.',
  );
  const users = registry.gauge('quorate_console_users', 'Accounts on this console.');
  const clusters = registry.gauge('quorate_console_clusters', 'Clusters registered.');
  const links = registry.gauge(
    'quorate_console_cluster_link',
    "Each registered cluster: 1 on its agent link's state (connected, connecting, lost, unavailable).",
  );

  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, not the path: /api/users/:user, so user names stay out of labels.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { config: { access: { kind: 'anyone' } } }, async (_request, reply) => {
    users.set({}, app.store.users.count());
    const registered = app.store.clusters.list();
    clusters.set({}, registered.length);
    links.reset();
    for (const cluster of registered) {
      const state = app.clusterRegistry.linkOf(cluster.name)?.state().state ?? 'unavailable';
      for (const known of LINK_STATES) {
        links.set({ cluster: cluster.name, state: known }, known === state ? 1 : 0);
      }
    }
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(registry.text());
  });
});
