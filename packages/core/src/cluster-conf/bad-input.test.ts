// Bad input at the cluster.conf level: every case gives a clear error or survives intact, and
// nothing throws anything but XmlInputError.
import { describe, expect, test } from 'vitest';
import { confXml } from '../../testing/validate-fixtures.js';
import { parseXml, XmlInputError } from '../xml/xml-parse.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { documentsEqual } from '../xml/xml-tree.js';
import { parseClusterConf, readClusterConf } from './read.js';
import { validateClusterConf, validateClusterConfText } from './validate.js';

/** Deterministic pseudo-random numbers (a 32-bit LCG), so every failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Parses and validates; only XmlInputError may escape the parser, nothing from validation. */
function survives(text: string): 'refused' | 'judged' {
  let conf: ReturnType<typeof parseClusterConf>;
  try {
    conf = parseClusterConf(text);
  } catch (e) {
    if (!(e instanceof XmlInputError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
    return 'refused';
  }
  validateClusterConf(conf, 'draft');
  validateClusterConf(conf, 'runnable');
  return 'judged';
}

describe('files that are not a cluster.conf', () => {
  test.each([
    ['empty', '', 'not-xml', /empty/],
    ['not XML', 'cluster name = alpha\nnodes = 3\n', 'not-xml', /not well-formed/],
    ['truncated', confXml().slice(0, confXml().lastIndexOf('>', 300) + 1), 'not-xml', /truncated/],
    ['cut inside a tag', confXml().slice(0, 301), 'not-xml', /line \d+, column \d+/],
    [
      'a DOCTYPE',
      '<!DOCTYPE cluster [<!ENTITY x "y">]><cluster name="&x;"/>',
      'unsupported-xml',
      /DOCTYPE/,
    ],
  ])('%s: one clear error', (_label, text, rule, message) => {
    const result = validateClusterConfText(text, 'draft');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.rule).toBe(rule);
    expect(result.errors[0]!.message).toMatch(message);
  });

  test('a 50 MB file: too-large', () => {
    const huge = `<cluster name="big">${'<!-- padding padding -->'.repeat(2_200_000)}</cluster>`;
    expect(huge.length).toBeGreaterThan(50_000_000);
    const result = validateClusterConfText(huge, 'runnable');
    expect(result.errors.map((e) => e.rule)).toEqual(['too-large']);
  });

  test('another root element is named, and judged no further', () => {
    const result = validateClusterConfText('<config><cluster name="a"/></config>', 'runnable');
    expect(result.errors.map((e) => e.rule)).toEqual(['root-element']);
    expect(result.errors[0]!.message).toContain('<config>');
  });
});

describe('hostile values survive and are reported clearly', () => {
  test('names full of quotes, apostrophes, ampersands and angle brackets round-trip', () => {
    const nasty = `"n'1 & <2>"`;
    const xml = `<cluster name="a&quot;b" config_version="1"><clusternodes>
      <clusternode name="${nasty.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}" nodeid="1"/>
      </clusternodes></cluster>`;
    const conf = parseClusterConf(xml);
    expect(conf.nodes[0]!.name).toBe(nasty);
    const again = parseClusterConf(serializeXml(conf.doc));
    expect(again.nodes[0]!.name).toBe(nasty);
    expect(again.name).toBe('a"b');
    expect(documentsEqual(again.doc, conf.doc)).toBe(true);
  });

  test('duplicate node ids and names give errors that name the first holder', () => {
    const xml = `<cluster name="c" config_version="1"><clusternodes>
      <clusternode name="node1" nodeid="1"/><clusternode name="node2" nodeid="1"/>
      <clusternode name="node1" nodeid="3"/></clusternodes></cluster>`;
    const { errors } = validateClusterConf(parseClusterConf(xml), 'draft');
    const text = errors.map((e) => `${e.path}: ${e.message}`);
    expect(text).toContain(
      '/cluster/clusternodes/clusternode[2]/@nodeid: nodeid 1 is already used by node1',
    );
    expect(text.some((t) => t.startsWith('/cluster/clusternodes/clusternode[3]/@name:'))).toBe(
      true,
    );
  });

  test('unknown elements and attributes survive a round trip and are not errors', () => {
    const xml = confXml({
      clusterAttrs: 'name="alpha" config_version="3" x-owner="ops"',
      cman: '<cman future_option="7"><multicast addr="239.1.1.1" ttl="2"/></cman><newdaemon level="9"><sub/></newdaemon>',
    });
    const conf = parseClusterConf(xml);
    const again = readClusterConf(parseXml(serializeXml(conf.doc)));
    expect(documentsEqual(again.doc, conf.doc)).toBe(true);
    expect(validateClusterConf(again, 'runnable').errors).toEqual([]);
  });

  test('numbers written oddly are errors naming the attribute, never exceptions', () => {
    const values = ['', ' ', '1e3', '0x10', '١', '99999999999999999999', '-0', '+5', 'NaN'];
    for (const v of values) {
      const xml = confXml({ nodes: `<clusternode name="n" nodeid="${v}" votes="${v}"/>` });
      expect(survives(xml)).toBe('judged');
    }
  });
});

describe('mangled copies of a valid file never crash', () => {
  const valid = confXml({ quorumd: '<quorumd label="q"><heuristic program="ping"/></quorumd>' });

  test('every truncation is refused or judged', () => {
    const verdicts = new Set<string>();
    for (let end = 0; end < valid.length; end += 3) verdicts.add(survives(valid.slice(0, end)));
    expect(verdicts).toContain('refused');
  });

  test('random byte edits are refused or judged (seeded)', () => {
    const random = lcg(20261127);
    const alphabet = `<>/="'&;!?-[] \n#x0aZ`;
    let judged = 0;
    for (let round = 0; round < 300; round++) {
      const chars = [...valid];
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        const at = Math.floor(random() * chars.length);
        chars[at] = alphabet[Math.floor(random() * alphabet.length)]!;
      }
      if (survives(chars.join('')) === 'judged') judged++;
    }
    // Some edits hit only values or whitespace, so both outcomes occur.
    expect(judged).toBeGreaterThan(0);
    expect(judged).toBeLessThan(300);
  });
});
