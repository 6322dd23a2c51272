import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CHECK_SCRIPT,
  checkCommand,
  DEFAULT_LAYOUT,
  type HostFacts,
  type HostRequirements,
  judgeHost,
  parseHostFacts,
  shellQuote,
} from './host-check.js';

const good: HostFacts = {
  os: 'Linux',
  arch: 'x86_64',
  hostname: 'node1',
  uid: 0,
  portInUse: false,
  portHolder: '',
  hasSystemd: true,
  missingTools: [],
  agentInstalled: false,
  configPresent: false,
  stateInUse: false,
  prefixExisted: false,
  configDirExisted: false,
  stateDirExisted: false,
  prefixFreeKiB: 10 * 1024 * 1024,
  prefixDevice: '2049',
  stagingFreeKiB: 10 * 1024 * 1024,
  stagingDevice: '2049',
};

const needs: HostRequirements = {
  arch: 'x86_64',
  archiveBytes: 34 * 1024 * 1024,
  unpackedBytes: 90 * 1024 * 1024,
  needsSystemd: true,
  layout: DEFAULT_LAYOUT,
};

describe('the host check', () => {
  it('runs on this machine and prints every fact the console reads', () => {
    // The script only reads; run here it must parse, whatever this machine is like.
    const command = checkCommand({ ...DEFAULT_LAYOUT, prefix: '/nonexistent/quorate' });
    const output = execFileSync('sh', ['-c', command], { input: CHECK_SCRIPT, encoding: 'utf8' });
    const facts = parseHostFacts(output);
    expect(facts.os).toBe('Linux');
    expect(facts.uid).toBe(process.getuid?.());
    expect(facts.prefixExisted).toBe(false);
    expect(facts.prefixFreeKiB).toBeGreaterThan(0);
  });

  it('refuses a parse with a missing fact by name', () => {
    expect(() => parseHostFacts('os=Linux\n')).toThrow('the host check printed no arch');
  });

  it('accepts a suitable host', () => {
    expect(judgeHost('h', good, needs)).toEqual([]);
  });

  it('gives each refusal its kind and a message naming the host', () => {
    const bad: HostFacts = {
      ...good,
      os: 'FreeBSD',
      arch: 'aarch64',
      uid: 1000,
      portInUse: true,
      portHolder: '"nc",pid=42',
      hasSystemd: false,
      missingTools: ['setsid'],
      configPresent: true,
      stagingFreeKiB: 1024,
    };
    expect(judgeHost('10.0.0.3 (node3)', bad, needs)).toEqual([
      { kind: 'wrong-os', message: '10.0.0.3 (node3): runs FreeBSD; the agent needs Linux' },
      {
        kind: 'wrong-architecture',
        message: '10.0.0.3 (node3): is aarch64; the agent bundle is built for x86_64',
      },
      {
        kind: 'not-root',
        message: '10.0.0.3 (node3): the SSH user is uid 1000; installing needs root (uid 0)',
      },
      {
        kind: 'port-in-use',
        message: `10.0.0.3 (node3): port 11111 (the agent's) is already in use by "nc",pid=42`,
      },
      { kind: 'missing-tool', message: '10.0.0.3 (node3): lacks setsid' },
      { kind: 'no-systemd', message: '10.0.0.3 (node3): does not run systemd' },
      {
        kind: 'already-installed',
        message: '10.0.0.3 (node3): already has /etc/cluster/cluster.conf',
      },
      {
        kind: 'disk-full',
        message: '10.0.0.3 (node3): /var/tmp has 1 MiB free; the agent needs 214 MiB there',
      },
    ]);
  });

  it('counts staging and prefix apart when they are on different file systems', () => {
    const split = { ...good, prefixDevice: '1', prefixFreeKiB: 50 * 1024 };
    expect(judgeHost('h', split, needs)).toEqual([
      {
        kind: 'disk-full',
        message: 'h: /opt/quorate has 50 MiB free; the agent needs 90 MiB there',
      },
    ]);
  });

  it('quotes any word for the shell', () => {
    const word = `it's $HOME; rm -rf /`;
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' })).toBe(
      word,
    );
  });
});
