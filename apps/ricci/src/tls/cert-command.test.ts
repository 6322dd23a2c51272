import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCertCommand } from './cert-command.js';

let root: string;
let out: string;
const io = {
  stdout: (text: string) => {
    out += text;
  },
  stderr: (text: string) => {
    out += text;
  },
};
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quorate-cert-'));
  out = '';
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('quorate cert', () => {
  it('makes a CA and node certificates in the state directory with private key modes', async () => {
    const env = { QUORATE_STATE_DIR: root };
    expect(await runCertCommand(['ca', '--cluster', 'alpha'], env, io)).toBe(0);
    expect(await runCertCommand(['node', 'node1', '--altname', 'node1-b'], env, io)).toBe(0);
    const tls = join(root, 'tls');
    expect(readdirSync(tls).sort()).toEqual([
      'ca.crt',
      'ca.key',
      'node-node1.crt',
      'node-node1.key',
    ]);
    expect(mode(tls)).toBe(0o700);
    expect(mode(join(tls, 'ca.key'))).toBe(0o600);
    expect(mode(join(tls, 'node-node1.key'))).toBe(0o600);
    expect(mode(join(tls, 'node-node1.crt'))).toBe(0o644);
    expect(out).not.toContain('PRIVATE KEY');
  });

  it('refuses to replace the CA or a node certificate without --force', async () => {
    const args = ['--dir', root];
    await runCertCommand(['ca', ...args], {}, io);
    expect(await runCertCommand(['ca', ...args], {}, io)).toBe(1);
    expect(out).toContain('ca.key exists; --force replaces the cluster CA');
    expect(await runCertCommand(['ca', '--force', ...args], {}, io)).toBe(0);
    await runCertCommand(['node', 'n1', ...args], {}, io);
    expect(await runCertCommand(['node', 'n1', ...args], {}, io)).toBe(1);
  });

  it('says how to make the CA when a node certificate is asked for first', async () => {
    expect(await runCertCommand(['node', 'node1', '--dir', root], {}, io)).toBe(1);
    expect(out).toContain(
      `${join(root, 'ca.crt')}: cannot read TLS material (ENOENT); make it with "quorate cert"`,
    );
  });

  it('prints usage for a wrong command line', async () => {
    expect(await runCertCommand(['node'], {}, io)).toBe(2);
    expect(await runCertCommand(['ca', '--bogus'], {}, io)).toBe(2);
    expect(out).toContain('usage: quorate cert ca');
  });
});
