import { parseClusterConf, validateClusterConf } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { initialClusterConf } from './initial-cluster-conf.js';

describe('initialClusterConf', () => {
  it('writes version 1 with the nodes in order, one vote each, and the token', () => {
    const text = initialClusterConf('tcluster', ['node1', 'node2', 'node3'], { tokenMs: 300 });
    const conf = parseClusterConf(text);
    expect(conf.attrs.name).toBe('tcluster');
    expect(conf.attrs.config_version).toBe('1');
    expect(conf.nodes.map((n) => [n.name, n.nodeid, n.votes])).toEqual([
      ['node1', 1, 1],
      ['node2', 2, 1],
      ['node3', 3, 1],
    ]);
    expect(text).toContain('<totem token="300"');
    expect(validateClusterConf(conf, 'runnable').errors).toEqual([]);
  });

  it('sets two_node with expected_votes 1 for two nodes', () => {
    const conf = parseClusterConf(initialClusterConf('pair', ['a', 'b'], { twoNode: true }));
    expect(conf.cman?.attrs).toMatchObject({ two_node: '1', expected_votes: '1' });
  });

  it('sets wait_for_all on <cman>', () => {
    const conf = parseClusterConf(initialClusterConf('c', ['a', 'b', 'c'], { waitForAll: true }));
    expect(conf.cman?.attrs.wait_for_all).toBe('1');
    expect(conf.attrs.config_version).toBe('1');
  });

  it('refuses what the config model refuses, naming the field', () => {
    expect(() => initialClusterConf('c', ['a', 'a'])).toThrow(
      /clusternode\[2\]\/@name: node "a" already exists/,
    );
    expect(() => initialClusterConf('c', ['a', 'b', 'c'], { twoNode: true })).toThrow(/two_node/);
  });
});
