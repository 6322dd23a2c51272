import { describe, expect, it } from 'vitest';
import { jsonLog } from './json-log.js';

describe('jsonLog', () => {
  it('writes one JSON object per line at or above its level', () => {
    const lines: string[] = [];
    const log = jsonLog(
      'node1',
      'info',
      (line) => lines.push(line),
      () => new Date(0),
    );
    log('debug', 'hidden', {});
    log('warn', 'peer-refused', { peer: 'node9' });
    log('warn', 'node-lost', { node: 'node3' });
    expect(lines).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","level":"warn","event":"peer-refused","node":"node1","peer":"node9","agent":"node1"}\n',
      '{"time":"1970-01-01T00:00:00.000Z","level":"warn","event":"node-lost","node":"node3","agent":"node1"}\n',
    ]);
  });
});
