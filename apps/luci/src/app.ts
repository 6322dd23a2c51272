import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { alertRoutes } from './alerts/alert-routes.js';
import {
  type AlertDeliveryOptions,
  AlertService,
  defaultAlertDelivery,
} from './alerts/alert-service.js';
import {
  defaultLoginLimits,
  LoginLimiter,
  type LoginLimiterOptions,
} from './auth/login-limiter.js';
import { PasswordHasher } from './auth/password-hasher.js';
import type { ScryptCost } from './auth/passwords.js';
import {
  defaultSessionLimits,
  type SessionLimits,
  SessionManager,
} from './auth/session-manager.js';
import {
  type ConsoleBootstrap,
  memoryBootstrap,
  sshBootstrapBackend,
} from './bootstrap/bootstrap-backend.js';
import { BootstrapTasks } from './bootstrap/bootstrap-tasks.js';
import type { ClusterLinkFactory } from './cluster-link/cluster-link.js';
import { ClusterRegistry } from './cluster-link/cluster-registry.js';
import { configEditRoutes } from './config-edit/config-edit-routes.js';
import { noteStatusVersion } from './config-edit/config-history.js';
import { useZodSchemas } from './http/zod-type-provider.js';
import { ClusterWatch } from './live/cluster-watch.js';
import { LiveHub } from './live/live-hub.js';
import { clusterStatusViewFor } from './live/status-view.js';
import { metricsPlugin } from './metrics/console-metrics.js';
import { auditPlugin } from './plugins/audit-plugin.js';
import { authPlugin } from './plugins/auth-plugin.js';
import { errorsPlugin } from './plugins/errors-plugin.js';
import { securityPlugin } from './plugins/security-plugin.js';
import { hasWebApp, webAppPlugin } from './plugins/web-app-plugin.js';
import { auditRoutes } from './routes/audit-routes.js';
import { clusterStatusRoutes } from './routes/cluster-status-routes.js';
import { clustersRoutes } from './routes/clusters-routes.js';
import { createClusterRoutes } from './routes/create-cluster-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { historyRoutes } from './routes/history-routes.js';
import { liveRoutes } from './routes/live-routes.js';
import { nodeActionRoutes } from './routes/node-action-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import { usersRoutes } from './routes/users-routes.js';
import type { ConsoleStore } from './store/index.js';
import './app-types.js';

export interface AppOptions {
  readonly store: ConsoleStore;
  readonly clusterLinks: ClusterLinkFactory;
  /** The built web app's folder, or null to serve the API alone. */
  readonly webDir: string | null;
  /** Certificate and key (PEM); null only where something else terminates TLS (tests' inject). */
  readonly https: { readonly cert: string; readonly key: string } | null;
  readonly now?: () => number;
  readonly scryptCost?: ScryptCost;
  readonly sessionLimits?: SessionLimits;
  readonly loginLimits?: LoginLimiterOptions;
  /** How often live sockets of ended sessions are closed; 0 leaves it to the caller. */
  readonly liveSweepMs?: number;
  readonly logger?: FastifyServerOptions['logger'];
  /** Creating clusters over SSH; default: systemd on the hosts, CAs kept in memory only. */
  readonly bootstrap?: ConsoleBootstrap;
  /** Alert delivery: attempts, backoff, timeouts (tests shorten them). */
  readonly alertDelivery?: AlertDeliveryOptions;
}

/** The console server, built but not listening: `main.ts` listens, tests `inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  useZodSchemas(app);
  const alerts = new AlertService(
    options.store,
    options.now ?? Date.now,
    options.alertDelivery ?? defaultAlertDelivery,
  );
  decorate(app, options, alerts);

  // Layers in order: errors, security, sessions and roles, audit, live push, routes, web app.
  const webDir = hasWebApp(options.webDir) ? options.webDir : null;
  await app.register(errorsPlugin, {
    pageFallback: webDir ? (reply) => reply.type('text/html').sendFile('index.html') : null,
  });
  await app.register(securityPlugin);
  await app.register(authPlugin);
  await app.register(auditPlugin);
  await app.register(metricsPlugin);
  await app.register(websocket, { options: { maxPayload: 4096 } });
  for (const routes of [
    healthRoutes,
    setupRoutes,
    sessionRoutes,
    usersRoutes,
    clustersRoutes,
    clusterStatusRoutes,
    nodeActionRoutes,
    configEditRoutes,
    historyRoutes,
  ]) {
    await app.register(routes);
  }
  await app.register(createClusterRoutes, {
    bootstrap: options.bootstrap ?? memoryBootstrap(sshBootstrapBackend()),
    tasks: new BootstrapTasks(options.now ?? Date.now),
  });
  await app.register(alertRoutes, { alerts });
  await app.register(auditRoutes);
  await app.register(liveRoutes);
  if (webDir) await app.register(webAppPlugin, { webDir });

  startBackgroundWork(app, options.liveSweepMs ?? 5000);
  alerts.start();
  app.addHook('onClose', async () => alerts.close());
  return app;
}

function decorate(app: FastifyInstance, options: AppOptions, alerts: AlertService): void {
  const now = options.now ?? Date.now;
  const sessions = new SessionManager(
    options.store,
    now,
    options.sessionLimits ?? defaultSessionLimits,
  );
  const store = options.store;
  const watch = new ClusterWatch(store, now);
  const live = new LiveHub(
    sessions,
    () => registry,
    (user, cluster) => clusterStatusViewFor(registry, store, user, cluster),
  );
  // A link change records its events first, so the pushes that follow carry them.
  const registry = new ClusterRegistry(store, options.clusterLinks, now, (event) => {
    if (event) {
      if (event.change.kind === 'snapshot') {
        const { configVersion } = event.change.snapshot.status.cluster;
        noteStatusVersion(store, event.cluster, registry.linkOf(event.cluster), configVersion, now);
      }
      const recorded = watch.observe(event.cluster, event.change);
      const { change } = event;
      alerts.observe(
        event.cluster,
        recorded,
        change.kind === 'snapshot' ? change.snapshot.status : null,
      );
    } else {
      watch.keepOnly(store.clusters.list().map((c) => c.name));
      alerts.keepOnly(store.clusters.list().map((c) => c.name));
    }
    live.publishClusters();
    if (event) live.publishStatus(event.cluster);
  });
  app.decorate('store', options.store);
  app.decorate('now', now);
  app.decorate('sessions', sessions);
  app.decorate('passwords', new PasswordHasher(options.scryptCost));
  app.decorate('loginLimiter', new LoginLimiter(options.loginLimits ?? defaultLoginLimits));
  app.decorate('clusterRegistry', registry);
  app.decorate('live', live);
  app.decorate('clusterWatch', watch);
}

function startBackgroundWork(app: FastifyInstance, liveSweepMs: number): void {
  app.clusterRegistry.start();
  const timer =
    liveSweepMs > 0
      ? setInterval(() => {
          app.live.sweep();
          app.sessions.sweep();
        }, liveSweepMs)
      : undefined;
  timer?.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    app.live.closeAll();
    app.clusterRegistry.close();
  });
}
