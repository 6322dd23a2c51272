// Runs testdata/*.txt against the controller's multi-node world. QUORATE_REWRITE=1 rewrites the
// expected output from what runs now (then read the diff: it is the documentation).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatTranscript, parseTranscript } from '../resource-manager/transcript-format.js';
import { ControllerTranscript } from './transcript.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const rewrite = process.env.QUORATE_REWRITE === '1';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('controller transcripts', () => {
  test('there are transcripts to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s', (file) => {
    const path = join(dir, file);
    const blocks = parseTranscript(readFileSync(path, 'utf8'));
    const transcript = new ControllerTranscript();
    const outputs = blocks.map((b) => transcript.run(b.command, b.body));
    if (rewrite) {
      writeFileSync(path, formatTranscript(blocks, outputs));
      return;
    }
    blocks.forEach((b, i) => {
      expect(outputs[i], `${file}:${b.line}: ${b.command}`).toBe(b.expected);
    });
  });
});
