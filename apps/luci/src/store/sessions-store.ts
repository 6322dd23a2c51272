import type { SqliteDatabase } from './database.js';

export interface SessionRow {
  readonly tokenHash: string;
  readonly userId: number;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

interface RawSession {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

const toSession = (raw: RawSession): SessionRow => ({
  tokenHash: raw.token_hash,
  userId: raw.user_id,
  csrfToken: raw.csrf_token,
  createdAt: raw.created_at,
  lastSeenAt: raw.last_seen_at,
});

/** Sessions by the hash of their token: the store never holds a usable cookie. */
export class SessionsStore {
  constructor(private readonly db: SqliteDatabase) {}

  create(session: SessionRow): void {
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) ' +
          'VALUES (?, ?, ?, ?, ?)',
      )
      .run(
        session.tokenHash,
        session.userId,
        session.csrfToken,
        session.createdAt,
        session.lastSeenAt,
      );
  }

  byTokenHash(tokenHash: string): SessionRow | undefined {
    const raw = this.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | RawSession
      | undefined;
    return raw && toSession(raw);
  }

  touch(tokenHash: string, now: number): void {
    this.db
      .prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?')
      .run(now, tokenHash);
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  /** Ends every session of a user but one (a password change keeps the changer's session). */
  deleteForUser(userId: number, except?: string): void {
    this.db
      .prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?')
      .run(userId, except ?? null);
  }

  deleteIdleSince(idleCutoff: number, createdCutoff: number): void {
    this.db
      .prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(idleCutoff, createdCutoff);
  }
}
