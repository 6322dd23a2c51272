import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTlsMaterial, selfSignedFiles } from './tls-material.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'luci-tls-'));
  dirs.push(dir);
  return dir;
}

describe('loadTlsMaterial', () => {
  it('makes a self-signed certificate for localhost at first start and reuses it', async () => {
    const dir = join(tempDir(), 'tls');
    const first = await loadTlsMaterial(null, dir);
    expect(first.selfSigned).toBe(true);
    const cert = new X509Certificate(first.cert);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.fingerprint256).toBe(first.fingerprint);
    expect(statSync(join(dir, selfSignedFiles.key)).mode & 0o777).toBe(0o600);
    const second = await loadTlsMaterial(null, dir);
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it("uses the administrator's files and names the flag of one it cannot read", async () => {
    const made = await loadTlsMaterial(null, tempDir());
    const dir = tempDir();
    writeFileSync(join(dir, 'a.crt'), made.cert);
    writeFileSync(join(dir, 'a.key'), made.key);
    const given = await loadTlsMaterial(
      { certFile: join(dir, 'a.crt'), keyFile: join(dir, 'a.key') },
      dir,
    );
    expect(given).toMatchObject({ selfSigned: false, fingerprint: made.fingerprint });
    await expect(
      loadTlsMaterial({ certFile: join(dir, 'a.crt'), keyFile: join(dir, 'missing.key') }, dir),
    ).rejects.toThrow(/^--key: cannot read/);
  });
});
