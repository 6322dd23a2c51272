import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes with scrypt from node:crypto. The stored form carries its own parameters
 * (`scrypt$N$r$p$salt$hash`, base64url), so the cost can rise later without breaking old hashes.
 */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. 2^15 with r=8 uses 32 MiB and ~100 ms on one core. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const defaultScryptCost: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost = defaultScryptCost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')]
    .map(String)
    .join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) {
    throw new Error('a stored password hash is not in the scrypt$N$r$p$salt$hash form');
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash nobody's password matches, checked when a login names an unknown user so that the
 * answer takes as long as for a known one.
 */
export function unknownUserHash(cost = defaultScryptCost): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'), cost);
}
