import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ccsTool, scratchDir, snapshot } from '../../testing/ccs-tool.js';

const conf = (dir: string) => readFileSync(join(dir, 'cluster.conf'), 'utf8');

describe('the seed walkthrough (RHEL 5, rhcs-rhel5-walkthrough.txt)', () => {
  test('create, addfence, three addnodes, then lsnode and lsfence print the seed tables', () => {
    const dir = scratchDir();
    const steps = [
      ['create', 'tcluster'],
      ['addfence', 'meatware', 'fence_manual'],
      ['addnode', '-v', '1', '-n', '1', '-f', 'meatware', 'node1.magedu.com'],
      ['addnode', '-v', '1', '-n', '2', '-f', 'meatware', 'node2.magedu.com'],
      ['addnode', '-v', '1', '-n', '3', '-f', 'meatware', 'node3.magedu.com'],
    ];
    for (const argv of steps) {
      expect(ccsTool(dir, ...argv), argv.join(' ')).toEqual({ status: 0, stdout: '', stderr: '' });
    }
    expect(ccsTool(dir, 'lsnode')).toEqual({
      status: 0,
      stderr: '',
      stdout: [
        '',
        'Cluster name: tcluster, config_version: 5',
        '',
        'Nodename                        Votes Nodeid Fencetype',
        'node1.magedu.com                   1    1    meatware',
        'node2.magedu.com                   1    2    meatware',
        'node3.magedu.com                   1    3    meatware',
        '',
      ].join('\n'),
    });
    expect(ccsTool(dir, 'lsfence').stdout).toBe(
      'Name             Agent\nmeatware         fence_manual\n',
    );
    // Each of the four edits kept the file it replaced.
    expect(Object.keys(snapshot(dir))).toEqual([
      'cluster.conf',
      'cluster.conf.bak.1',
      'cluster.conf.bak.2',
      'cluster.conf.bak.3',
      'cluster.conf.bak.4',
    ]);
    expect(readFileSync(join(dir, 'cluster.conf.bak.1'), 'utf8')).toContain('config_version="1"');
  });

  test('create writes the seed skeleton, mode 0640', () => {
    const dir = scratchDir();
    expect(ccsTool(dir, 'create', 'tcluster').status).toBe(0);
    expect(conf(dir)).toBe(
      '<?xml version="1.0"?>\n<cluster name="tcluster" config_version="1">\n  <clusternodes/>\n  <fencedevices/>\n  <rm>\n    <failoverdomains/>\n    <resources/>\n  </rm>\n</cluster>\n',
    );
    expect(statSync(join(dir, 'cluster.conf')).mode & 0o777).toBe(0o640);
  });
});

describe('create', () => {
  test('refuses an existing file, as RHCS did; --force replaces it and keeps a backup', () => {
    const dir = scratchDir();
    ccsTool(dir, 'create', 'one');
    const before = snapshot(dir);
    const refused = ccsTool(dir, 'create', 'two');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `ccs_tool: ${join(dir, 'cluster.conf')} already exists; use --force to replace it (the old file is kept as a backup)\n`,
    );
    expect(snapshot(dir)).toEqual(before);
    expect(ccsTool(dir, 'create', '--force', '-2', 'two').status).toBe(0);
    expect(conf(dir)).toContain('<cman two_node="1" expected_votes="1"/>');
    expect(conf(dir)).toContain('NEEDNAME-02');
    expect(readFileSync(join(dir, 'cluster.conf.bak.1'), 'utf8')).toContain('name="one"');
  });

  test('-n and -f make skeleton nodes with device fence1; -c names the file', () => {
    const dir = scratchDir();
    const file = join(dir, 'other.conf');
    expect(ccsTool(dir, 'create', '-n', '3', '-f', 'fence_ipmilan', '-c', file, 'big').status).toBe(
      0,
    );
    expect(ccsTool(dir, 'lsnode', '-c', file).stdout).toContain(
      'NEEDNAME-03                        1    3    fence1\n',
    );
    expect(ccsTool(dir, 'lsfence', '-c', file).stdout).toContain(
      'fence1           fence_ipmilan\n',
    );
  });
});

describe('edits', () => {
  function cluster(): string {
    const dir = scratchDir();
    ccsTool(dir, 'create', 'c1');
    ccsTool(dir, 'addfence', 'apc', 'fence_apc', 'ipaddr=pdu1', 'passwd=s3"cr<t&');
    ccsTool(dir, 'addnode', '-f', 'apc', 'n1', 'port=1');
    ccsTool(dir, 'addnode', '-f', 'apc', '-v', '2', '-a', 'n2-ring1', 'n2', 'port=2');
    return dir;
  }

  test('addnode picks the lowest free nodeid and says so; fence arguments land on the device', () => {
    const dir = cluster();
    expect(ccsTool(dir, 'lsnode').stdout).toContain(
      'n2                                 2    2    apc\n',
    );
    const r = ccsTool(dir, 'addnode', 'n3');
    expect(r).toEqual({ status: 0, stdout: 'node "n3" has nodeid 3\n', stderr: '' });
    expect(conf(dir)).toContain('<device name="apc" port="2"/>');
  });

  test('lsnode -v and lsfence -v show more, with passwords redacted', () => {
    const dir = cluster();
    const nodes = ccsTool(dir, 'lsnode', '-v').stdout;
    expect(nodes).toContain('  altname: name=n2-ring1\n');
    expect(nodes).toContain('  Fence method single: apc port=2\n');
    expect(ccsTool(dir, 'lsfence', '-v').stdout).toBe(
      'Name             Agent\napc              fence_apc\n  Properties: ipaddr=pdu1 passwd=***\n',
    );
    // The secret itself is stored exactly, quotes and angle brackets included.
    expect(ccsTool(dir, 'query', '//fencedevice/@passwd').stdout).toBe('s3"cr<t&\n');
  });

  test('delfence is refused while used; delnode frees it', () => {
    const dir = cluster();
    const before = snapshot(dir);
    expect(ccsTool(dir, 'delfence', 'apc')).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'ccs_tool: /cluster/fencedevices/fencedevice[1]: fence device "apc" is used by n1, n2: remove it from their methods first\n',
    });
    expect(snapshot(dir)).toEqual(before);
    expect(ccsTool(dir, 'delnode', 'n1').status).toBe(0);
    expect(ccsTool(dir, 'delnode', 'n2').status).toBe(0);
    expect(ccsTool(dir, 'delfence', 'apc').status).toBe(0);
    expect(ccsTool(dir, 'lsfence').stdout).toBe('Name             Agent\n');
    expect(ccsTool(dir, 'query', '/cluster/@config_version').stdout).toBe('7\n');
  });

  test('backups number one past the highest existing, and the file keeps its mode', () => {
    const dir = cluster();
    writeFileSync(join(dir, 'cluster.conf.bak.41'), 'old');
    chmodSync(join(dir, 'cluster.conf'), 0o600);
    expect(ccsTool(dir, 'delnode', 'n1').status).toBe(0);
    expect(statSync(join(dir, 'cluster.conf')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'cluster.conf.bak.42'), 'utf8')).toContain('name="n1"');
  });

  test('usage errors are one line on stderr with status 1', () => {
    const dir = cluster();
    const cases: Array<[string[], string]> = [
      [[], 'ccs_tool: no command given; try "ccs_tool help"\n'],
      [['frobnicate'], 'ccs_tool: unknown command "frobnicate"; try "ccs_tool help"\n'],
      [
        ['addnode', '-v', 'x', 'n9'],
        'ccs_tool: addnode: argument to -v ("x") is not a non-negative integer\n',
      ],
      [['addnode', 'n9', 'port=1'], 'ccs_tool: addnode: fence arguments need -f FENCEDEV\n'],
      [
        ['addfence', 'x', 'fence_apc', 'name=y'],
        'ccs_tool: addfence: "name" cannot be used as a fence argument\n',
      ],
      [['delnode'], 'ccs_tool: delnode: usage: ccs_tool delnode NAME\n'],
    ];
    for (const [argv, stderr] of cases) {
      expect(ccsTool(dir, ...argv), argv.join(' ')).toEqual({ status: 1, stdout: '', stderr });
    }
    const unknownOption = ccsTool(dir, 'lsnode', '-x');
    expect(unknownOption.status).toBe(1);
    expect(unknownOption.stderr).toMatch(/^ccs_tool: lsnode: Unknown option '-x'[^\n]*\n$/);
    expect(ccsTool(dir, 'help').stdout).toContain('Usage: ccs_tool COMMAND');
  });
});

describe('validate', () => {
  test('prints issues one a line, names the level, exits 1 on errors', () => {
    const dir = scratchDir();
    ccsTool(dir, 'create', 'c1');
    const file = join(dir, 'cluster.conf');
    const runnable = ccsTool(dir, 'validate');
    expect(runnable.status).toBe(1);
    expect(runnable.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(runnable.stderr).toMatch(
      new RegExp(
        `^ccs_tool: ${file}: \\d+ errors?, \\d+ warnings? at level runnable: not valid\\n$`,
      ),
    );
    const draft = ccsTool(dir, 'validate', '-l', 'draft');
    expect(draft.status).toBe(0);
    expect(draft.stdout).toMatch(
      new RegExp(`${file}: 0 errors, \\d+ warnings? at level draft: valid\\n$`),
    );
    expect(ccsTool(dir, 'validate', '-l', 'strict').stderr).toBe(
      'ccs_tool: validate: level must be draft or runnable, not "strict"\n',
    );
  });
});
