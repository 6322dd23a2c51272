import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './transcript.js';
import { transcriptFiles } from './transcript-files.js';

// QUORATE_REWRITE=1 regenerates the expected output instead of comparing.
const rewrite = process.env.QUORATE_REWRITE === '1';

describe('golden transcripts', () => {
  const files = transcriptFiles();

  it('has the transcripts the protocol is documented by', () => {
    expect(files.map((f) => basename(f))).toEqual([
      'asymmetric-partition.txt',
      'config-refused-inquorate.txt',
      'config-refused-stale.txt',
      'election.txt',
      'expected-votes-force.txt',
      'expected-votes.txt',
      'formation-conflict.txt',
      'formation-three-files.txt',
      'leader-crash.txt',
      'leave.txt',
      'membership-add-remove.txt',
      'membership-heavy-node.txt',
      'partition-2-1.txt',
      'returning-node-newer-file.txt',
      'stale-node-rejoin.txt',
      'two-node-fence-race-delay.txt',
      'two-node-fence-race-no-delay.txt',
      'wait-for-all-cold-start.txt',
      'weighted-votes.txt',
    ]);
  });

  for (const file of files) {
    it(basename(file), () => {
      const expected = readFileSync(file, 'utf8');
      const actual = runTranscript(expected);
      if (rewrite) writeFileSync(file, actual);
      else expect(actual).toBe(expected);
    });
  }
});
