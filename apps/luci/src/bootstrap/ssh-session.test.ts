import { describe, expect, it } from 'vitest';
import { SshError, SshSession, sshKeyFingerprint } from './ssh-session.js';

describe('SshSession', () => {
  it('refuses a key it cannot parse before opening any connection', async () => {
    const privateKey =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nbm9wZQ==\n-----END OPENSSH PRIVATE KEY-----\n';
    const connecting = SshSession.connect(
      {
        host: '127.0.0.1',
        user: 'root',
        auth: { kind: 'private-key', privateKey },
        hostKey: { kind: 'trust-on-first-use' },
      },
      1000,
    );
    await expect(connecting).rejects.toBeInstanceOf(SshError);
    await expect(connecting).rejects.toMatchObject({ kind: 'bad-private-key' });
  });

  it('prints fingerprints as ssh-keygen -l does', () => {
    // SHA-256 of the bytes "abc", base64 without padding.
    expect(sshKeyFingerprint(Buffer.from('abc'))).toBe(
      'SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0',
    );
  });
});
