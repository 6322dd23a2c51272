import { describe, expect, test } from 'vitest';
import { formatTranscript, parseTranscript } from './transcript-format.js';

const text = `# a comment
config <<EOF
<cluster/>
EOF
----
old output

state
----
x
`;

describe('transcript format', () => {
  test('parses commands, bodies and expected output, and writes them back unchanged', () => {
    const blocks = parseTranscript(text);
    expect(blocks.map((b) => [b.command, b.body, b.expected, b.line])).toEqual([
      ['config', '<cluster/>', 'old output', 2],
      ['state', undefined, 'x', 8],
    ]);
    expect(formatTranscript(blocks, ['old output', 'x'])).toBe(text);
    expect(formatTranscript(blocks, ['new', 'x'])).toContain('----\nnew\n');
  });

  test('names the line of a malformed block', () => {
    expect(() => parseTranscript('state\nnot a separator\n')).toThrow(
      'line 1: expected ---- after "state"',
    );
    expect(() => parseTranscript('config <<EOF\n<cluster/>\n')).toThrow(
      'line 1: <<EOF without a closing EOF',
    );
  });
});
