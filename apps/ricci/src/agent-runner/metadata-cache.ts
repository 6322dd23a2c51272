// Reading every agent's metadata takes tens of seconds of background work (some 240 agents,
// many of them Python). The answers are kept in the agent's state folder, keyed by each agent
// file's path, size and modification time, so a restart re-reads only agents that changed.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { AgentMetadata } from '@quorate/core';
import { agentMetadataSchema } from '@quorate/protocol';

/** In the agent's state folder. */
export const METADATA_CACHE_FILE = 'agent-metadata.json';

export interface CachedFailure {
  readonly type: string;
  readonly message: string;
}

export type CachedAnswer = AgentMetadata | CachedFailure;

function isFailure(value: unknown): value is CachedFailure {
  if (typeof value !== 'object' || value === null) return false;
  const { type, message, ...rest } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof message === 'string' && Object.keys(rest).length === 0;
}

/** A stored answer as the console API would send it, or undefined. */
function validAnswer(value: unknown): CachedAnswer | undefined {
  if (isFailure(value)) return value;
  const parsed = agentMetadataSchema.safeParse(value);
  return parsed.success ? (parsed.data as AgentMetadata) : undefined;
}

export class MetadataCache {
  private readonly answers = new Map<string, CachedAnswer>();
  private readonly used = new Map<string, CachedAnswer>();

  /** A missing, unreadable or malformed file is an empty cache: everything is read again. */
  constructor(private readonly file: string | undefined) {
    if (file === undefined) return;
    let stored: { v?: unknown; answers?: unknown };
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    if (stored?.v !== 1 || typeof stored.answers !== 'object' || stored.answers === null) return;
    for (const [key, value] of Object.entries(stored.answers)) {
      const answer = validAnswer(value);
      if (answer) this.answers.set(key, answer);
    }
  }

  /** The agent file's identity, or undefined when it cannot be read (it is then not cached). */
  static fingerprint(type: string, path: string): string | undefined {
    try {
      const s = statSync(path);
      return `${type}|${path}|${s.size}|${Math.round(s.mtimeMs)}`;
    } catch {
      return undefined;
    }
  }

  /** The cached answer for this fingerprint, or what `read` answers now. */
  async answer(
    fingerprint: string | undefined,
    read: () => Promise<CachedAnswer>,
  ): Promise<CachedAnswer> {
    const cached = fingerprint === undefined ? undefined : this.answers.get(fingerprint);
    const answer = cached ?? (await read());
    if (fingerprint !== undefined) this.used.set(fingerprint, answer);
    return answer;
  }

  /** Writes what this run used (agents removed since drop out), mode 0600, atomically. */
  save(): void {
    if (this.file === undefined) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ v: 1, answers: Object.fromEntries(this.used) }), {
      mode: 0o600,
    });
    renameSync(tmp, this.file);
  }
}
