import { describe, expect, test } from 'vitest';
import { corpusFile, corpusPresent, corpusSkipReason } from '../../testing/corpus.js';
import { parseClusterConf } from './read.js';
import { buildResourceTrees } from './resource-tree.js';
import {
  agentFileName,
  formatResourceEntry,
  formatResourceTree,
  formatRgTest,
  formatTranscript,
} from './rg-test-format.js';

const dir = 'rgmanager-tests';
const skipNote = corpusPresent ? '' : ` (${corpusSkipReason})`;

function rgTest(name: string): string {
  return formatRgTest(buildResourceTrees(parseClusterConf(corpusFile(`${dir}/${name}.conf`))));
}

interface Sections {
  readonly problems: string;
  readonly blocks: string[];
  readonly trees: string;
}

function sections(text: string): Sections {
  const listAt = text.indexOf('=== Resources List ===\n');
  const treeAt = text.indexOf('=== Resource Tree ===\n');
  expect(listAt).toBeGreaterThanOrEqual(0);
  expect(treeAt).toBeGreaterThan(listAt);
  const list = text.slice(listAt + '=== Resources List ===\n'.length, treeAt);
  return {
    problems: text.slice(0, listAt),
    blocks: list
      .split('\n\n')
      .map((b) => b.trim())
      .filter((b) => b !== ''),
    trees: text.slice(treeAt),
  };
}

// Parameters rgmanager's agents gained after the version that wrote the .expected files: an
// inherited parameter is always listed, so a newer rg_test prints these lines too.
const newerThanCorpus = new Set(['nfslock [ inherit("service%nfslock") ]']);

function withoutNewerLines(block: string): string {
  return block
    .split('\n')
    .filter((line) => !newerThanCorpus.has(line.trim()))
    .join('\n');
}

describe.skipIf(!corpusPresent)(
  `rg_test output matches rgmanager's .expected files${skipNote}`,
  () => {
    test.each(['test001', 'test002', 'test003', 'test009', 'test011', 'test016'])('%s', (name) => {
      const expected = sections(corpusFile(`${dir}/${name}.expected`));
      const actual = sections(rgTest(name));
      // The warning lines and the trees must be exactly rgmanager's.
      expect(actual.problems).toBe(expected.problems);
      expect(actual.trees).toBe(expected.trees);
      // rgmanager listed resources type by type in the order readdir() returned its agent
      // files, which is arbitrary (it depends on the file system), and within a type in
      // definition order; the blocks themselves must match, so compare them as sorted sets.
      expect(actual.blocks.map(withoutNewerLines).sort()).toEqual(expected.blocks.sort());
    });

    test('test016 keeps the unique ip in the first service only', () => {
      const out = rgTest('test016');
      expect(out.split('\n')[0]).toBe(
        'Warning: Max references exceeded for resource address (type ip)',
      );
      expect(out.match(/address = "192\.168\.1\.3"/g)).toHaveLength(1);
    });

    test('the STABLE3 test012 differs from test012 only by the enforced timeouts of one client', () => {
      const plain = rgTest('test012');
      const stable3 = formatRgTest(
        buildResourceTrees(parseClusterConf(corpusFile('beekhof-cluster-STABLE3-test012.conf'))),
      );
      expect(stable3).not.toBe(plain);
      expect(stable3.replace('nfsclient [ ENFORCE-TIMEOUTS ] {', 'nfsclient {')).toBe(plain);
    });

    test.each([
      ['test017', 'start'],
      ['test017', 'stop'],
      ['test018', 'start'],
      ['test018', 'stop'],
    ] as const)('%s %s order', (name, op) => {
      const { trees } = buildResourceTrees(parseClusterConf(corpusFile(`${dir}/${name}.conf`)));
      expect(formatTranscript(trees, op)).toBe(corpusFile(`${dir}/${name}.${op}.expected`));
    });
  },
);

describe('rg_test formatting', () => {
  const conf = parseClusterConf(`<cluster><rm>
    <resources><script name="s" file="/etc/init.d/s" extra="x"/></resources>
    <service name="svc">
      <script ref="s" __independent_subtree="1" __enforce_timeouts="1"/>
      <ocf agent="heartbeat:Dummy" name="d"/>
    </service>
  </rm></cluster>`);
  const result = buildResourceTrees(conf);

  test('lists attributes in meta-data order, then unknown ones; root and inline marks', () => {
    expect(formatResourceEntry(result.resources[0]!)).toBe(
      'Resource type: script\nAgent: script.sh\nAttributes:\n  name = s [ primary unique ]\n  file = /etc/init.d/s [ unique required ]\n  extra = x\n',
    );
    expect(formatResourceEntry(result.resources[1]!)).toBe(
      'Resource type: service [ROOT] [INLINE]\nInstances: 1/1\nAgent: service.sh\nAttributes:\n  name = svc [ primary unique required ]\n',
    );
  });

  test('prints node flags from __ internals and never the internals themselves', () => {
    const tree = formatResourceTree(result.trees[0]!);
    expect(tree).toContain('  script [ INDEPENDENT ENFORCE-TIMEOUTS ] {\n');
    expect(tree).not.toContain('__');
  });

  test('an unknown agent type is a warning printed rg_test style', () => {
    expect(formatRgTest(result).split('\n')[0]).toBe(
      'Warning: no agent meta-data for type ocf:heartbeat:Dummy',
    );
  });

  test('extra marks (a delta’s NEEDSTART, say) come before the node flags', () => {
    const marked = formatResourceTree(result.trees[0]!, undefined, (n) =>
      n.type === 'script' ? ['NEEDSTART'] : [],
    );
    expect(marked).toContain('  script [ NEEDSTART INDEPENDENT ENFORCE-TIMEOUTS ] {\n');
    expect(marked.startsWith('service {\n')).toBe(true);
  });

  test('agent file names', () => {
    expect(agentFileName('ip')).toBe('ip.sh');
    expect(agentFileName('ocf:heartbeat:IPaddr2')).toBe('IPaddr2');
  });
});
