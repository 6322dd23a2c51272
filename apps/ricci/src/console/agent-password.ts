import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, fsyncDir } from '../storage/state-dir.js';
import { writeFileAtomically } from '../tls/tls-files.js';

/**
 * The node's agent password (DESIGN.md §3): what a console proves once before the agent pins
 * its certificate. Only a scrypt hash is stored, `scrypt$N$r$p$salt$key` (base64url), in
 * `STATE_DIR/console/agent-password`, mode 0600. The stored form carries its parameters, so the
 * cost can rise later without invalidating a stored hash.
 */
export const CONSOLE_DIR = 'console';
export const PASSWORD_FILE = 'agent-password';
export const SECRET_FILE_MODE = 0o600;
/** Fewer characters are refused when the password is set. */
export const MIN_AGENT_PASSWORD_LENGTH = 12;

export interface ScryptCost {
  /** CPU and memory cost, a power of two: 2^15 with r=8 takes 32 MiB and ~100 ms. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

export function consoleDirIn(stateDir: string): string {
  return join(stateDir, CONSOLE_DIR);
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashAgentPassword(
  password: string,
  cost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')]
    .map(String)
    .join('$');
}

export async function verifyAgentPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.trim().split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) {
    throw new Error(`${PASSWORD_FILE}: not in the scrypt$N$r$p$salt$key form`);
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Hashes and stores the password (0600), replacing any earlier one. */
export async function setAgentPassword(
  stateDir: string,
  password: string,
  cost = DEFAULT_SCRYPT_COST,
): Promise<void> {
  if ([...password].length < MIN_AGENT_PASSWORD_LENGTH) {
    throw new Error(
      `password: must be at least ${MIN_AGENT_PASSWORD_LENGTH} characters (got ${[...password].length})`,
    );
  }
  const dir = consoleDirIn(stateDir);
  ensurePrivateDir(stateDir);
  ensurePrivateDir(dir);
  writeFileAtomically(
    join(dir, PASSWORD_FILE),
    `${await hashAgentPassword(password, cost)}\n`,
    SECRET_FILE_MODE,
  );
  fsyncDir(dir);
}

/** The stored hash, or null when no password was ever set. */
export function readAgentPasswordHash(stateDir: string): string | null {
  try {
    return readFileSync(join(consoleDirIn(stateDir), PASSWORD_FILE), 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
