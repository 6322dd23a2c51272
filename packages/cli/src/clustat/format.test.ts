import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attr, parseXml } from '@quorate/core';
import { describe, expect, test } from 'vitest';
import { member, seedStatus, service, utcClock } from '../../testing/cluster-status.js';
import { expectGolden } from '../../testing/golden.js';
import { formatClustat, formatClustatXml } from './format.js';

const golden = (name: string) => join(dirname(fileURLToPath(import.meta.url)), 'golden', name);

describe('clustat text (golden files)', () => {
  test('the seed before services: header, Quorate, three members, no service table', () => {
    const out = formatClustat(seedStatus({ services: [] }), {}, utcClock);
    expect(out.exitCode).toBe(0);
    expectGolden(golden('seed-members.txt'), out.text);
    expect(out.text).toContain(
      ' node2.magedu.com                            2 Online, Local, rgmanager\n',
    );
  });

  test('the seed with webservice started on node3, plus stopped, disabled, frozen services', () => {
    const status = seedStatus({
      services: [
        service('webservice'),
        service('db', { state: 'disabled', owner: null, lastOwner: 'node2.magedu.com' }),
        service('new', { state: 'stopped', owner: null }),
        service('frozen', { owner: 'node1.magedu.com', frozen: true }),
        {
          ...service('guest'),
          id: 'vm:guest',
          state: 'failed',
          owner: null,
          lastOwner: 'node1.magedu.com',
        },
      ],
    });
    const out = formatClustat(status, {}, utcClock);
    expectGolden(golden('seed-services.txt'), out.text);
    expect(out.text).toContain(
      ' service:webservice             node3.magedu.com               started       \n',
    );
    expect(out.text).toContain(
      ' service:db                     (node2.magedu.com)             disabled      \n',
    );
    expect(out.text).toContain('started   [Z]\n');
  });

  test('inquorate, rgmanager down, a node offline and an estranged one', () => {
    const status = seedStatus({
      quorum: { quorate: false, totalVotes: 1, expectedVotes: 3, quorum: 2, leader: null },
      resourceManager: { running: false, locked: false },
      members: [
        member(1, { online: false, rgmanager: false, joinedMs: null }),
        member(2, { local: true, rgmanager: false }),
        member(3, { online: false, rgmanager: false, joinedMs: null }),
        member(9, { name: 'stray.magedu.com', estranged: true, rgmanager: false }),
        member(8, { name: 'gone.magedu.com', estranged: true, online: false }),
      ],
    });
    const out = formatClustat(status, {}, utcClock);
    expectGolden(golden('inquorate.txt'), out.text);
    expect(out.text).not.toContain('gone.magedu.com');
    expect(out.text).toContain(
      'Resource Group Manager not running; no service information available.',
    );
  });

  test('a wide terminal widens the columns; a long name is cut to the column', () => {
    const status = seedStatus({
      members: [member(1, { name: `node1.${'x'.repeat(70)}.com` }), member(2, { local: true })],
    });
    const out = formatClustat(status, { columns: 160 }, utcClock);
    expectGolden(golden('wide.txt'), out.text);
    const line = out.text.split('\n').find((l) => l.includes('xxxx'))!;
    // Cut to MAXHOSTNAMELEN (64), one space, then the id right-aligned in four columns.
    expect(line).toBe(` ${`node1.${'x'.repeat(70)}`.slice(0, 64)}    1 Online, rgmanager`);
  });

  test('-l prints each service in the long form', () => {
    const status = seedStatus({
      services: [
        service('webservice', { frozen: true, partial: true, lastOwner: 'node1.magedu.com' }),
      ],
    });
    const out = formatClustat(status, { long: true }, utcClock);
    expectGolden(golden('long.txt'), out.text);
    expect(out.text).toContain('  Flags           : frozen, partial (3)\n');
  });
});

describe('clustat exit status', () => {
  test('-m: 0 online, 1 offline or unknown; only that member is shown', () => {
    const status = seedStatus({ members: [member(1), member(2, { online: false })] });
    const one = formatClustat(status, { member: 'node1.magedu.com' }, utcClock);
    expect(one.exitCode).toBe(0);
    expect(one.text).not.toContain('node2');
    expect(one.text).not.toContain('Cluster Status');
    expect(one.text).not.toContain('Service Name');
    expect(formatClustat(status, { member: 'node2.magedu.com' }, utcClock).exitCode).toBe(1);
    expect(formatClustat(status, { member: 'node7' }, utcClock).exitCode).toBe(1);
  });

  test('-s: 0 while starting, started or stopping, else the state code; 255 unknown', () => {
    const states = ['starting', 'started', 'stopping', 'stopped', 'disabled', 'failed'] as const;
    const codes = states.map((state) => {
      const status = seedStatus({ services: [service('web', { state })] });
      return formatClustat(status, { service: 'service:web' }, utcClock).exitCode;
    });
    expect(codes).toEqual([0, 0, 0, 110, 119, 114]);
    expect(formatClustat(seedStatus(), { service: 'service:nope' }, utcClock).exitCode).toBe(255);
    const only = formatClustat(seedStatus(), { service: 'service:webservice' }, utcClock).text;
    expect(only.startsWith(' Service Name')).toBe(true);
  });
});

describe('clustat -x', () => {
  test("matches the golden file and parses as XML with rgmanager's elements", () => {
    const status = seedStatus({
      cluster: { ...seedStatus().cluster, name: 'a&b "quoted" <c>' },
      services: [
        service('webservice', { frozen: true }),
        service('db', { state: 'stopped', owner: null }),
      ],
    });
    const out = formatClustatXml(status, {}, utcClock);
    expectGolden(golden('seed.xml'), out.text);
    const doc = parseXml(out.text);
    expect(doc.root.name).toBe('clustat');
    const children = doc.root.children.filter((c) => c.type === 'element');
    expect(children.map((c) => c.name)).toEqual(['cluster', 'quorum', 'nodes', 'groups']);
    expect(children[0]!.attrs).toEqual([
      { name: 'name', value: 'a&b "quoted" <c>' },
      { name: 'id', value: '22265' },
      { name: 'generation', value: '3' },
    ]);
    const groups = children[3]!.children.filter((c) => c.type === 'element');
    expect(groups.map((g) => attr(g, 'name'))).toEqual(['service:db', 'service:webservice']);
    expect(groups.map((g) => attr(g, 'last_owner'))).toEqual(['none', 'none']);
    expect(attr(groups[1]!, 'flags_str')).toBe('frozen');
  });

  test('-x -m and -x -s print only their part and exit as the text form does', () => {
    const status = seedStatus({ services: [service('web', { state: 'disabled' })] });
    const memberOnly = formatClustatXml(status, { member: 'node1.magedu.com' }, utcClock);
    expect(memberOnly.text).not.toContain('<groups>');
    expect(memberOnly.text).not.toContain('<quorum');
    const serviceOnly = formatClustatXml(status, { service: 'service:web' }, utcClock);
    expect(serviceOnly.exitCode).toBe(119);
    expect(serviceOnly.text).not.toContain('<nodes>');
    parseXml(serviceOnly.text);
  });
});
