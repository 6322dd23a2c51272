// rgmanager's dependency tests (corpus rgmanager-tests/deptest*.conf): the services place as
// the comments in those files say.
import { describe, expect, test } from 'vitest';
import { corpusFile, corpusPresent, corpusSkipReason } from '../../testing/corpus.js';
import { serviceState } from './model.js';
import { TranscriptWorld } from './transcript.js';

function world(file: string): TranscriptWorld {
  const w = new TranscriptWorld();
  w.run('config', corpusFile(`rgmanager-tests/${file}`));
  // The files' "Setup" section: the services already run where it says.
  return w;
}

/** Lines of `output` that are agent operations, without indentation. */
const operations = (output: string) =>
  output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(start|stop|migrate) \S+ (on|\S+ ->)/.test(l));

const where = (w: TranscriptWorld, id: string) => {
  const s = serviceState(w.state, id);
  return `${s.state} ${s.owner ?? '-'}`;
};

const skipNote = corpusPresent ? '' : ` (${corpusSkipReason})`;
const corpusTest = test.skipIf(!corpusPresent);

describe(`rgmanager dependency tests${skipNote}`, () => {
  corpusTest('deptest1: A (never with B) moves B away from the only node left for A', () => {
    const w = world('deptest1.conf');
    w.run('seed c started node2', undefined);
    w.run('seed b started node4', undefined);
    w.run('seed a started node1', undefined);
    w.run('members node1 node2 node3 node4', undefined);
    expect(where(w, 'service:a')).toBe('started node1');
    const out = w.run('fail node1', undefined);
    expect(operations(out)).toEqual([
      'stop service:b on node4: ok',
      'start service:b on node3: ok',
      'start service:a on node4: ok',
    ]);
    expect(where(w, 'service:a')).toBe('started node4');
    expect(where(w, 'service:b')).toBe('started node3');
    expect(where(w, 'service:c')).toBe('started node2');
  });

  corpusTest('deptest2: when B fails, A and C stop first and follow it back', () => {
    const w = world('deptest2.conf');
    for (const id of ['b', 'a', 'c']) w.run(`seed ${id} started node1`, undefined);
    w.run('members node1 node2 node3 node4', undefined);
    const out = w.run('status-fail b', undefined);
    expect(operations(out)).toEqual([
      'stop service:a on node1: ok',
      'stop service:c on node1: ok',
      'stop service:b on node1: ok',
      'start service:b on node1: ok',
      'start service:a on node1: ok',
      'start service:c on node1: ok',
    ]);
    for (const id of ['a', 'b', 'c']) expect(where(w, `service:${id}`)).toBe('started node1');
  });
});
