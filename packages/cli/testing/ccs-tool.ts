import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { runOfflineCcsTool } from '../src/ccs-tool/main.js';

// Test helpers for ccs_tool: a scratch config directory and an in-process runner that captures
// what the command printed. Outside src/, so the build never ships them.

export interface CcsToolRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh directory, removed when the current test finishes. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccs-tool-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function ccsTool(dir: string, ...argv: string[]): CcsToolRun {
  let stdout = '';
  let stderr = '';
  const status = runOfflineCcsTool(
    argv,
    { QUORATE_CONFIG_DIR: dir },
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    },
  );
  return { status, stdout, stderr };
}

/** The directory's files and a hash of their bytes, to prove a failed command changed nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    out[name] = createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex');
  }
  return out;
}
