import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, lockStateDir, stateDirFrom } from './state-dir.js';
import { StateDirLockedError } from './storage-errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quorate-state-dir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('state directory', () => {
  it('comes from QUORATE_STATE_DIR, else /var/lib/quorate', () => {
    expect(stateDirFrom({ QUORATE_STATE_DIR: '/srv/q' })).toBe('/srv/q');
    expect(stateDirFrom({})).toBe('/var/lib/quorate');
  });

  it('is created, or tightened, to mode 0700', () => {
    const fresh = join(root, 'a', 'b');
    ensurePrivateDir(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const loose = join(root, 'loose');
    mkdirSync(loose);
    chmodSync(loose, 0o755);
    ensurePrivateDir(loose);
    expect(statSync(loose).mode & 0o777).toBe(0o700);
  });

  it('fails, rather than spinning, where a directory cannot be made', () => {
    expect(() => ensurePrivateDir('/proc/quorate-cannot-exist/state')).toThrowError(/ENOENT/);
  });

  it('refuses a second agent while the first holds the lock, and frees it on release', () => {
    const lock = lockStateDir(root);
    expect(() => lockStateDir(root)).toThrowError(StateDirLockedError);
    expect(() => lockStateDir(root)).toThrowError(`in use by agent process ${process.pid}`);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lockStateDir(root).release();
  });

  it('takes over the lock of an agent that was killed', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const pid = child.pid ?? -1;
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(join(root, 'agent.lock'), JSON.stringify({ pid, startTicks: '1' }));
    const lock = lockStateDir(root);
    expect(statSync(lock.path).mode & 0o777).toBe(0o600);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to an unrelated process', () => {
    writeFileSync(join(root, 'agent.lock'), JSON.stringify({ pid: 1, startTicks: 'not-init' }));
    lockStateDir(root).release();
  });
});
