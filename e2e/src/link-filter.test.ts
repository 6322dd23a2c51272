import { describe, expect, test } from 'vitest';
import {
  anyHost,
  blockKey,
  hostFilterScript,
  hostRules,
  LinkCuts,
  parseBlockKey,
} from './link-filter.js';

const macs: Record<string, string> = { a: '02:00:00:00:00:01', b: '02:00:00:00:00:02' };
const macOf = (host: string) => macs[host] ?? 'unknown';

describe('link filter rules', () => {
  test('a one-way block drops at the sender egress and the receiver ingress by MAC', () => {
    const blocks = [{ from: 'a', to: 'b' }];
    expect(hostRules('a', blocks, macOf)).toEqual({
      ingress: [],
      egress: ['ether daddr 02:00:00:00:00:02 drop'],
    });
    expect(hostRules('b', blocks, macOf)).toEqual({
      ingress: ['ether saddr 02:00:00:00:00:01 drop'],
      egress: [],
    });
  });

  test('host-wide blocks drop everything on their side only', () => {
    const outbound = [{ from: 'a', to: anyHost }];
    expect(hostRules('a', outbound, macOf)).toEqual({ ingress: [], egress: ['drop'] });
    expect(hostRules('b', outbound, macOf)).toEqual({ ingress: [], egress: [] });
    const inbound = [{ from: anyHost, to: 'a' }];
    expect(hostRules('a', inbound, macOf)).toEqual({ ingress: ['drop'], egress: [] });
  });

  test('the script replaces the table atomically, lets ARP through, and only deletes when empty', () => {
    const script = hostFilterScript('a', [{ from: 'a', to: 'b' }], macOf);
    expect(script.split('\n').slice(0, 3)).toEqual([
      'add table netdev quorate_cut',
      'delete table netdev quorate_cut',
      'table netdev quorate_cut {',
    ]);
    expect(script).toContain('type filter hook egress device "eth0" priority 0; policy accept;');
    expect(script.indexOf('ether type arp accept')).toBeLessThan(script.indexOf('ether daddr'));
    expect(hostFilterScript('a', [], macOf)).toBe(
      'add table netdev quorate_cut\ndelete table netdev quorate_cut\n',
    );
  });

  test('block keys round-trip', () => {
    expect(parseBlockKey(blockKey({ from: anyHost, to: 'node2' }))).toEqual({
      from: '*',
      to: 'node2',
    });
    expect(() => parseBlockKey('node1')).toThrow(/bad key/);
  });
});

describe('LinkCuts', () => {
  const setup = () => {
    const applied: Array<[string, string]> = [];
    const cuts = new LinkCuts(['a', 'b', 'c'], macOf, async (host, script) => {
      applied.push([host, script]);
    });
    return { cuts, applied };
  };

  test('a pair block re-renders only the two hosts; a host-wide block re-renders all', async () => {
    const { cuts, applied } = setup();
    await cuts.change([{ from: 'a', to: 'b' }], []);
    expect(applied.map(([host]) => host).sort()).toEqual(['a', 'b']);
    applied.length = 0;
    await cuts.change([{ from: anyHost, to: 'c' }], []);
    expect(applied.map(([host]) => host).sort()).toEqual(['a', 'b', 'c']);
    expect(cuts.list()).toEqual([
      { from: 'a', to: 'b' },
      { from: '*', to: 'c' },
    ]);
  });

  test('healing removes the rules and leaves an empty table script', async () => {
    const { cuts, applied } = setup();
    await cuts.change([{ from: 'a', to: 'b' }], []);
    applied.length = 0;
    await cuts.change([], [{ from: 'a', to: 'b' }]);
    expect(cuts.list()).toEqual([]);
    for (const [, script] of applied) expect(script).not.toContain('chain');
  });
});
