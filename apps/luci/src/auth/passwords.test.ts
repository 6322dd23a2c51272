import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('verify the password they were made from and no other', async () => {
    const stored = await hashPassword('correct horse battery', cheap);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salt each hash, so equal passwords store differently', async () => {
    const first = await hashPassword('same password here', cheap);
    const second = await hashPassword('same password here', cheap);
    expect(first).not.toBe(second);
  });

  it('compare the same password typed in either Unicode normal form', async () => {
    const stored = await hashPassword('caf\u00e9 au lait please', cheap);
    expect(await verifyPassword('cafe\u0301 au lait please', stored)).toBe(true);
  });

  it('refuse a stored value that is not a scrypt hash', async () => {
    await expect(verifyPassword('x', 'plain-text')).rejects.toThrow(/scrypt\$N\$r\$p/);
  });
});
