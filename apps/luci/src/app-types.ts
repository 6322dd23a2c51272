import type { ClusterRole } from '@quorate/protocol';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import type { Principal, SessionManager } from './auth/session-manager.js';
import type { ClusterRegistry } from './cluster-link/cluster-registry.js';
import type { ClusterWatch } from './live/cluster-watch.js';
import type { LiveHub } from './live/live-hub.js';
import type { ConsoleStore } from './store/index.js';

/**
 * Who may call a route. Every `/api` route declares one (buildApp refuses a route without it),
 * and one hook checks it: that is the single place roles are enforced.
 * - `anyone`: no session needed (health, first start, login).
 * - `signed-in`: any user with a live session.
 * - `admin`: an administrator.
 * - `cluster`: the role on the cluster named by the `:cluster` path parameter; a user who may
 *   not even view that cluster is told it does not exist.
 */
export type Access =
  | { readonly kind: 'anyone' }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'cluster'; readonly role: ClusterRole };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The audit log's name for what a state-changing route does, e.g. `user.create`. */
    audit?: string;
    /** A request that is not the user's activity (the live socket): it keeps no session alive. */
    passive?: boolean;
  }

  interface FastifyInstance {
    store: ConsoleStore;
    now: () => number;
    sessions: SessionManager;
    passwords: PasswordHasher;
    loginLimiter: LoginLimiter;
    clusterRegistry: ClusterRegistry;
    live: LiveHub;
    /** Each cluster's event history as the console infers it from the agents' snapshots. */
    clusterWatch: ClusterWatch;
  }

  interface FastifyRequest {
    principal: Principal | null;
    /** Audit fields a handler learns while it runs (the user a login tried, a new cluster). */
    auditNote: { user?: string; cluster?: string; target?: string };
    /** The console error code the response carried, for the audit log. */
    errorCode: string | null;
  }
}
