import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleStore, SessionRow, UserRow } from '../store/index.js';

/** `__Host-` makes the browser insist on Secure, Path=/ and no Domain for this cookie. */
export const sessionCookieName = '__Host-luci-session';

export interface SessionLimits {
  /** A session unused for this long has ended. */
  readonly idleMs: number;
  /** No session lives longer than this, used or not. */
  readonly maxMs: number;
}

export const defaultSessionLimits: SessionLimits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };

export interface Principal {
  readonly user: UserRow;
  readonly session: SessionRow;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Cookie sessions: a random token in the cookie, only its hash in the store. */
export class SessionManager {
  constructor(
    private readonly store: ConsoleStore,
    private readonly now: () => number,
    readonly limits: SessionLimits,
  ) {}

  /** Starts a session; the token goes into the cookie and nowhere else. */
  start(user: UserRow): { token: string; session: SessionRow } {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: SessionRow = {
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.store.sessions.create(session);
    this.store.users.recordLogin(user.id, now);
    return { token, session };
  }

  /** The principal behind a cookie token, or null when it is unknown or has ended. */
  resolve(token: string): Principal | null {
    const session = this.store.sessions.byTokenHash(hashToken(token));
    if (!session) return null;
    return this.principalOf(session);
  }

  /** Re-reads a session by its hash (the live hub checks its sockets' sessions this way). */
  principalByHash(tokenHash: string): Principal | null {
    const session = this.store.sessions.byTokenHash(tokenHash);
    return session ? this.principalOf(session) : null;
  }

  /** Marks the session used now, which pushes its idle expiry back. */
  touch(session: SessionRow): void {
    this.store.sessions.touch(session.tokenHash, this.now());
  }

  end(session: SessionRow): void {
    this.store.sessions.delete(session.tokenHash);
  }

  /** Deletes every ended session from the store. */
  sweep(): void {
    const now = this.now();
    this.store.sessions.deleteIdleSince(now - this.limits.idleMs, now - this.limits.maxMs);
  }

  private principalOf(session: SessionRow): Principal | null {
    const now = this.now();
    const ended =
      now - session.lastSeenAt >= this.limits.idleMs ||
      now - session.createdAt >= this.limits.maxMs;
    const user = ended ? undefined : this.store.users.byId(session.userId);
    if (!user) {
      this.store.sessions.delete(session.tokenHash);
      return null;
    }
    return { user, session };
  }
}
