// A console's proof of the agent password: rate limited per remote address (counted before the
// check, so guesses sent side by side are limited too), checked against the stored scrypt hash
// one check at a time, and logged without the password.
import type { ConsoleApiErrorCode } from '@quorate/protocol';
import type { TransportLog } from '../transport/transport-types.js';
import { readAgentPasswordHash, verifyAgentPassword } from './agent-password.js';
import { AuthLimiter } from './auth-limiter.js';

export type PasswordVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: ConsoleApiErrorCode;
      readonly message: string;
      readonly retryAfterMs?: number;
    };

export interface PasswordProofOptions {
  readonly nodeName: string;
  readonly stateDir: string;
  readonly log: TransportLog;
  readonly now: () => number;
  readonly limiter?: AuthLimiter;
}

export class PasswordProof {
  private readonly limiter: AuthLimiter;
  private checks: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PasswordProofOptions) {
    this.limiter = options.limiter ?? new AuthLimiter();
  }

  async check(remote: string, fingerprint: string, password: string): Promise<PasswordVerdict> {
    const { log, now } = this.options;
    const retryAfterMs = this.limiter.retryAfterMs(remote, now());
    if (retryAfterMs > 0) {
      log('warn', 'console-auth-rate-limited', { remote, fingerprint, retryAfterMs });
      const message = `too many wrong agent passwords from ${remote}; retry in ${Math.ceil(retryAfterMs / 1000)} s`;
      return { ok: false, code: 'CONSOLE_API_AUTH_RATE_LIMITED', message, retryAfterMs };
    }
    const stored = readAgentPasswordHash(this.options.stateDir);
    if (stored === null) {
      log('warn', 'console-auth-refused', { remote, fingerprint, reason: 'no agent password set' });
      const message = `${this.options.nodeName} has no agent password; set one with "ricci password"`;
      return { ok: false, code: 'CONSOLE_API_NO_PASSWORD', message };
    }
    const failures = this.limiter.fail(remote, now());
    if (!(await this.oneAtATime(() => verifyAgentPassword(password, stored)))) {
      const reason = 'wrong agent password';
      log('warn', 'console-auth-failed', { remote, fingerprint, reason, failures });
      return { ok: false, code: 'CONSOLE_API_AUTH_FAILED', message: 'the agent password is wrong' };
    }
    this.limiter.succeed(remote);
    return { ok: true };
  }

  /**
   * Runs password checks one after another: each scrypt takes 32 MiB for ~100 ms, and a burst
   * of hellos must not multiply that in the agent's memory.
   */
  private oneAtATime<T>(check: () => Promise<T>): Promise<T> {
    const result = this.checks.then(check);
    this.checks = result.catch(() => undefined);
    return result;
  }
}
