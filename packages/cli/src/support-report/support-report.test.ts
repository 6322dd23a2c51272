// quorate support-report: cluster.conf's secrets (fence device passwords, an SNMP community, a
// node's per-device password, an older password in a backup) appear nowhere in the archive, not
// even where a log echoed one; the state directory is listed, never read; with no agent running
// the status files say so instead of failing the report.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSupportReport } from './main.js';
import { REDACTED, redactClusterConf, redactText } from './redact.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-report-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const secrets = {
  ipmi: 'Ipmi-Pa55word',
  apc: 'apc&"secret"',
  community: 'snmp-community-77',
  perNode: 'node2-port-pass',
  old: 'older-password-in-backup',
  privateKey: 'PRIVATE-KEY-MATERIAL-xyz',
  agentPassword: 'agent-password-hash-abc',
};

function clusterConf(ipmiPassword: string): string {
  return `<?xml version="1.0"?>
<!-- test cluster -->
<cluster name="alpha" config_version="3">
  <totem token="10000"/>
  <clusternodes>
    <clusternode name="node1" nodeid="1">
      <fence><method name="1"><device name="ipmi1"/></method></fence>
    </clusternode>
    <clusternode name="node2" nodeid="2">
      <fence><method name="1"><device name="apc" port="2" passwd="${secrets.perNode}"/></method></fence>
    </clusternode>
  </clusternodes>
  <fencedevices>
    <fencedevice name="ipmi1" agent="fence_ipmilan" ipaddr="10.0.0.9" login="admin" passwd="${ipmiPassword}"/>
    <fencedevice name="apc" agent="fence_apc_snmp" ipaddr="10.0.0.8" passwd="apc&amp;&quot;secret&quot;" community="${secrets.community}"/>
  </fencedevices>
</cluster>
`;
}

/** Every file of an extracted archive, by its path inside the archive. */
function readTree(root: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(join(root, prefix))) {
    const path = join(prefix, name);
    if (statSync(join(root, path)).isDirectory()) {
      for (const [inner, text] of readTree(root, path)) files.set(inner, text);
    } else {
      files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  }
  return files;
}

describe('redactClusterConf', () => {
  it('replaces every secret attribute, on devices and on nodes, and keeps the rest', () => {
    const redacted = redactClusterConf(clusterConf(secrets.ipmi));
    expect([...redacted.secrets].sort()).toEqual(
      [secrets.ipmi, secrets.apc, secrets.community, secrets.perNode].sort(),
    );
    expect(redacted.paths).toContain('/cluster/fencedevices[1]/fencedevice[1]/@passwd');
    expect(redacted.paths).toContain(
      '/cluster/clusternodes[1]/clusternode[2]/fence[1]/method[1]/device[1]/@passwd',
    );
    for (const secret of Object.values(secrets)) expect(redacted.text).not.toContain(secret);
    expect(redacted.text).toContain('login="admin"');
    // totem's token is a timeout, not a secret.
    expect(redacted.text).toContain('<totem token="10000"/>');
    expect(redacted.text).toContain('<!-- test cluster -->');
    expect(redacted.text).toContain(`community="${REDACTED}"`);
  });

  it('blanks a secret out of any text, the longest first', () => {
    expect(redactText('a pass and a password', ['pass', 'password'])).toBe(
      `a ${REDACTED} and a ${REDACTED}`,
    );
  });
});

describe('quorate support-report', () => {
  it('makes a 0600 archive in which no secret of the config appears', async () => {
    const configDir = join(dir, 'cluster');
    const stateDir = join(dir, 'state');
    mkdirSync(configDir);
    mkdirSync(join(stateDir, 'tls'), { recursive: true });
    mkdirSync(join(stateDir, 'console'));
    writeFileSync(join(configDir, 'cluster.conf'), clusterConf(secrets.ipmi));
    writeFileSync(join(configDir, 'cluster.conf.bak.1'), clusterConf(secrets.old));
    writeFileSync(join(stateDir, 'tls', 'node-node1.key'), `-----BEGIN ${secrets.privateKey}`);
    writeFileSync(join(stateDir, 'console', 'agent-password'), secrets.agentPassword);
    const log = join(dir, 'ricci.log');
    writeFileSync(
      log,
      [
        JSON.stringify({ event: 'fence-op-finished', stdout: `login ok with ${secrets.ipmi}` }),
        JSON.stringify({ event: 'old', detail: secrets.old }),
        // JSON escapes the quotes of this one: the escaped form is blanked out too.
        JSON.stringify({ event: 'echo', detail: secrets.apc }),
        '',
      ].join('\n'),
    );
    const output = join(dir, 'report.tar.gz');
    const printed: string[] = [];
    const io = {
      stdout: (text: string) => printed.push(text),
      stderr: (text: string) => printed.push(text),
    };
    const env = { QUORATE_SOCKET: join(dir, 'no-agent.sock') };
    const args = ['-o', output, '--config-dir', configDir, '--state-dir', stateDir];
    const status = await runSupportReport([...args, '--log', log, '--journal-lines', '0'], env, io);
    expect(status, printed.join('')).toBe(0);
    expect(printed.join('')).toBe(`${output}\n`);
    expect(statSync(output).mode & 0o777).toBe(0o600);

    const extracted = join(dir, 'extracted');
    mkdirSync(extracted);
    execFileSync('tar', ['-xzf', output, '-C', extracted]);
    const [top] = readdirSync(extracted);
    expect(top).toMatch(/^quorate-report-.+-\d{8}T\d{6}Z$/);
    const files = readTree(join(extracted, top!));
    expect([...files.keys()].sort()).toEqual([
      'README.txt',
      'config/cluster.conf',
      'config/cluster.conf.bak.1',
      'logs/1-ricci.log',
      'state-dir.txt',
      'status/clustat.txt',
      'status/clustat.xml',
      'status/cman_tool-nodes.txt',
      'status/cman_tool-status.txt',
      'system.txt',
    ]);
    const escaped = Object.values(secrets).map((secret) => JSON.stringify(secret).slice(1, -1));
    for (const [name, text] of files) {
      for (const secret of [...Object.values(secrets), ...escaped]) {
        expect(text, `${name} holds ${secret}`).not.toContain(secret);
      }
    }
    expect(files.get('config/cluster.conf')).toContain(`passwd="${REDACTED}"`);
    expect(files.get('logs/1-ricci.log')).toContain(`login ok with ${REDACTED}`);
    expect(files.get('state-dir.txt')).toMatch(/tls\/node-node1\.key/);
    expect(files.get('README.txt')).toContain('/cluster/fencedevices[1]/fencedevice[2]/@community');
    // No agent answers: the status files say so, the report is still made.
    expect(files.get('status/clustat.txt')).toMatch(/exit status [1-9]/);
  });

  it('refuses a bad option, naming it', async () => {
    const printed: string[] = [];
    const io = {
      stdout: (text: string) => printed.push(text),
      stderr: (text: string) => printed.push(text),
    };
    expect(await runSupportReport(['--journal-lines', 'many'], {}, io)).toBe(2);
    expect(printed.join('')).toContain('--journal-lines: many is not a whole number');
  });
});
