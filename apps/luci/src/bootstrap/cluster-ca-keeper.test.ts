import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderCaKeeper } from './cluster-ca-keeper.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the folder CA keeper', () => {
  it('keeps a CA readable by the console alone, returns it, and forgets it', () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-keeper-'));
    const folder = join(dir, 'cluster-ca');
    const keeper = folderCaKeeper(folder);
    const ca = { certPem: 'CERT', keyPem: 'KEY' };
    expect(keeper.load('tcluster')).toBeUndefined();
    keeper.save('tcluster', ca);
    expect(keeper.load('tcluster')).toEqual(ca);
    expect((statSync(folder).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(folder, 'tcluster.json')).mode & 0o777).toString(8)).toBe('600');
    keeper.forget('tcluster');
    expect(keeper.load('tcluster')).toBeUndefined();
  });

  it('refuses a name that could leave its folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-keeper-'));
    const keeper = folderCaKeeper(dir);
    expect(() => keeper.save('../etc', { certPem: '', keyPem: '' })).toThrow(
      '"../etc" cannot name a CA file',
    );
  });
});
