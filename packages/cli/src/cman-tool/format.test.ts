import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { member, seedStatus, utcClock } from '../../testing/cluster-status.js';
import { expectGolden } from '../../testing/golden.js';
import { formatCmanNodes, formatCmanStatus, formatCmanVersion } from './format.js';

const golden = (name: string) => join(dirname(fileURLToPath(import.meta.url)), 'golden', name);

describe('cman_tool status', () => {
  test('the seed: Nodes 3, Expected votes 3, Total votes 3, Quorum 2 (golden file)', () => {
    const text = formatCmanStatus(seedStatus());
    expectGolden(golden('status-seed.txt'), text);
    for (const line of ['Nodes: 3', 'Expected votes: 3', 'Total votes: 3', 'Quorum: 2  ']) {
      expect(text.split('\n')).toContain(line);
    }
  });

  test('inquorate two_node: "Activity blocked", the 2node flag, fewer nodes, no rgmanager port', () => {
    const status = seedStatus({
      cluster: { ...seedStatus().cluster, twoNode: true },
      quorum: { quorate: false, totalVotes: 1, expectedVotes: 2, quorum: 2, leader: null },
      local: { ...seedStatus().local, membership: 'joining' },
      members: [member(1, { online: false }), member(2, { local: true })],
      resourceManager: { running: false, locked: false },
    });
    const text = formatCmanStatus(status);
    expectGolden(golden('status-inquorate.txt'), text);
    expect(text).toContain('\nQuorum: 2 Activity blocked\n');
    expect(text).toContain('\nFlags: 2node \n');
    expect(text).toContain('\nNodes: 1\n');
    expect(text).toContain(
      '\nCluster Member: No\nCluster Generation: 3\nMembership state: Joining\n',
    );
  });
});

describe('cman_tool nodes and version', () => {
  test('nodes lists every node by id, joined time for members, -a adds addresses', () => {
    const status = seedStatus({
      members: [
        member(3, { online: false, incarnation: 12 }),
        member(1),
        member(2, { local: true }),
      ],
    });
    const text = formatCmanNodes(status, {}, utcClock);
    expectGolden(golden('nodes.txt'), text);
    expect(text.split('\n')[1]).toBe('   1   M      1   2015-12-10 17:57:33  node1.magedu.com');
    expect(text.split('\n')[3]).toBe(`   3   X     12   ${' '.repeat(19)}  node3.magedu.com`);
    const withAddresses = formatCmanNodes(
      status,
      { addresses: true, names: ['node2.magedu.com'] },
      utcClock,
    );
    expect(withAddresses).toBe(
      'Node  Sts   Inc   Joined               Name\n' +
        '   2   M      1   2015-12-10 17:56:33  node2.magedu.com\n' +
        '       Addresses: 192.168.41.132 \n',
    );
  });

  test('version prints MAJOR.MINOR.PATCH config N', () => {
    expect(formatCmanVersion(seedStatus())).toBe('6.2.0 config 5\n');
  });
});
