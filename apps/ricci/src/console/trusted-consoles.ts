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
  /**
   * The cluster log index this node had applied when it pinned (0 without a resource
   * manager): a revocation the log commits later voids the pin.
   */
  readonly clusterIndex: number;
}

/**
 * The console certificates this node pinned itself, in `STATE_DIR/console/trusted-consoles.json`
 * (0600, written atomically). The cluster's trust lives in the replicated state
 * (`ControllerState.trustedConsoles`); this file is what lets a bare node, or a node whose
 * cluster could not record the trust (no quorum), accept a console that proved the password.
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

  get(fingerprint: string): TrustedConsole | undefined {
    return this.byFingerprint.get(fingerprint);
  }

  /** Pins `fingerprint` durably before it returns, as of the log index `clusterIndex`. */
  pin(fingerprint: string, remote: string, nowMs: number, clusterIndex = 0): void {
    const pinned = this.byFingerprint.get(fingerprint);
    if (pinned && pinned.clusterIndex >= clusterIndex) return;
    this.byFingerprint.set(fingerprint, { fingerprint, pinnedMs: nowMs, remote, clusterIndex });
    this.save();
  }

  /** Drops the pin durably; true when there was one. */
  unpin(fingerprint: string): boolean {
    if (!this.byFingerprint.delete(fingerprint)) return false;
    this.save();
    return true;
  }

  private save(): void {
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
    const { fingerprint, pinnedMs, remote, clusterIndex } = (entry ?? {}) as Record<
      string,
      unknown
    >;
    if (!certificateFingerprintSchema.safeParse(fingerprint).success) {
      throw new Error(`${path}: /${i}/fingerprint: not a SHA-256 fingerprint`);
    }
    return {
      fingerprint: fingerprint as string,
      pinnedMs: typeof pinnedMs === 'number' ? pinnedMs : 0,
      remote: typeof remote === 'string' ? remote : '',
      // Pins written before the cluster kept trust count as made before any revocation.
      clusterIndex: typeof clusterIndex === 'number' ? clusterIndex : 0,
    };
  });
}
