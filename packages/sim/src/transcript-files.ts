import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTranscript } from './transcript.js';

/** `packages/sim/testdata`, found from `src/` (tests) and from `dist/` (the command) alike. */
export const TESTDATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata');

export function transcriptFiles(): string[] {
  return readdirSync(TESTDATA_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => join(TESTDATA_DIR, name));
}

/** Regenerates the expected output of every transcript; returns the files it changed. */
export function rewriteTranscripts(): string[] {
  const changed: string[] = [];
  for (const file of transcriptFiles()) {
    const before = readFileSync(file, 'utf8');
    const after = runTranscript(before);
    if (after !== before) {
      writeFileSync(file, after);
      changed.push(file);
    }
  }
  return changed;
}
