import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateFingerprintSchema } from '@quorate/protocol';
import { ensurePrivateDir, fsyncDir } from '../storage/state-dir.js';
import { writeFileAtomically } from '../tls/tls-files.js';
import { CONSOLE_DIR, SECRET_FILE_MODE } from './agent-password.js';

export const TRUSTED_CONSOLES_FILE = 'trusted-consoles.json';

/** A console certificate this agent pinned after the console proved the agent password. */
export interface TrustedConsole {
  readonly fingerprint: string;
  readonly pinnedMs: number;
  /** The address the password hello came from, for the administrator reading the file. */
  readonly remote: string;
}

/**
 * The console certificates this node trusts, in `STATE_DIR/console/trusted-consoles.json`
 * (0600, written atomically). DESIGN.md wants them in the replicated cluster state so that a
 * console added through one node is trusted by all; until the core has an entry kind for
 * them, each node pins the consoles that authenticated to it.
 */
export class TrustedConsoles {
  private readonly byFingerprint = new Map<string, TrustedConsole>();
  private readonly path: string;

  constructor(private readonly stateDir: string) {
    this.path = join(stateDir, CONSOLE_DIR, TRUSTED_CONSOLES_FILE);
    for (const entry of readTrusted(this.path)) this.byFingerprint.set(entry.fingerprint, entry);
  }

  has(fingerprint: string): boolean {
    return this.byFingerprint.has(fingerprint);
  }

  list(): TrustedConsole[] {
    return [...this.byFingerprint.values()];
  }

  /** Pins `fingerprint` durably before it returns; pinning a pinned one changes nothing. */
  pin(fingerprint: string, remote: string, nowMs: number): void {
    if (this.byFingerprint.has(fingerprint)) return;
    this.byFingerprint.set(fingerprint, { fingerprint, pinnedMs: nowMs, remote });
    const dir = join(this.stateDir, CONSOLE_DIR);
    ensurePrivateDir(dir);
    writeFileAtomically(this.path, `${JSON.stringify(this.list(), null, 2)}\n`, SECRET_FILE_MODE);
    fsyncDir(dir);
  }
}

function readTrusted(path: string): TrustedConsole[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${path}: not a JSON array of pinned consoles`);
  return parsed.map((entry: unknown, i) => {
    const { fingerprint, pinnedMs, remote } = (entry ?? {}) as Record<string, unknown>;
    if (!certificateFingerprintSchema.safeParse(fingerprint).success) {
      throw new Error(`${path}: /${i}/fingerprint: not a SHA-256 fingerprint`);
    }
    return {
      fingerprint: fingerprint as string,
      pinnedMs: typeof pinnedMs === 'number' ? pinnedMs : 0,
      remote: typeof remote === 'string' ? remote : '',
    };
  });
}
