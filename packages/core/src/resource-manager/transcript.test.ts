// Runs testdata/*.txt. UPDATE_TRANSCRIPTS=1 rewrites the expected output from what runs now
// (then read the diff: it is the documentation).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { TranscriptWorld } from './transcript.js';
import { formatTranscript, parseTranscript } from './transcript-format.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const update = process.env.UPDATE_TRANSCRIPTS === '1';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('resource manager transcripts', () => {
  test('there are transcripts to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s', (file) => {
    const path = join(dir, file);
    const blocks = parseTranscript(readFileSync(path, 'utf8'));
    const world = new TranscriptWorld();
    const outputs = blocks.map((b) => world.run(b.command, b.body));
    if (update) {
      writeFileSync(path, formatTranscript(blocks, outputs));
      return;
    }
    blocks.forEach((b, i) => {
      expect(outputs[i], `${file}:${b.line}: ${b.command}`).toBe(b.expected);
    });
  });
});
