import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_DIR,
  PASSWORD_FILE,
  readAgentPasswordHash,
  verifyAgentPassword,
} from './agent-password.js';
import { runPasswordCommand } from './password-command.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], input: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPasswordCommand(
    args,
    {},
    {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      stdin: async () => input,
    },
  );
  return { code, out: out.join(''), err: err.join('') };
}

describe('ricci password', () => {
  it('stores only a scrypt hash of the first line of stdin, mode 0600', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'ricci-password-'));
    dirs.push(stateDir);
    const password = 'twelve chars or more';
    const result = await run(['--state-dir', stateDir], `${password}\nignored\n`);
    expect(result).toMatchObject({ code: 0, err: '' });
    const file = join(stateDir, CONSOLE_DIR, PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, CONSOLE_DIR)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).not.toContain(password);
    const stored = readAgentPasswordHash(stateDir);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyAgentPassword(password, stored!)).toBe(true);
    expect(await verifyAgentPassword(`${password}!`, stored!)).toBe(false);
  });

  it('refuses a short password and a stray argument, and stores nothing', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'ricci-password-'));
    dirs.push(stateDir);
    expect(await run(['--state-dir', stateDir], 'short\n')).toMatchObject({
      code: 1,
      err: 'ricci password: password: must be at least 12 characters (got 5)\n',
    });
    expect((await run(['--state-dir', stateDir, 'secret'], 'x'.repeat(20))).code).toBe(2);
    expect(readAgentPasswordHash(stateDir)).toBeNull();
  });
});
