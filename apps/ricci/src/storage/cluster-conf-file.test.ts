import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeClusterConf } from './cluster-conf-file.js';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'quorate-conf-')), 'etc-cluster');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const conf = (version: number) => `<cluster name="c" config_version="${version}"/>\n`;

describe('writing the committed cluster.conf', () => {
  it('creates the directory and a first file with mode 0640 and no backup', () => {
    const write = writeClusterConf(dir, conf(1));
    expect(write).toEqual({ path: join(dir, 'cluster.conf'), written: true, backup: null });
    expect(readFileSync(write.path, 'utf8')).toBe(conf(1));
    expect(statSync(write.path).mode & 0o777).toBe(0o640);
  });

  it('keeps each replaced file as cluster.conf.bak.N, N counting up, and the mode it had', () => {
    writeClusterConf(dir, conf(1));
    chmodSync(join(dir, 'cluster.conf'), 0o600);
    expect(writeClusterConf(dir, conf(2)).backup).toBe(join(dir, 'cluster.conf.bak.1'));
    expect(writeClusterConf(dir, conf(3)).backup).toBe(join(dir, 'cluster.conf.bak.2'));
    expect(readFileSync(join(dir, 'cluster.conf.bak.1'), 'utf8')).toBe(conf(1));
    expect(readFileSync(join(dir, 'cluster.conf.bak.2'), 'utf8')).toBe(conf(2));
    expect(readFileSync(join(dir, 'cluster.conf'), 'utf8')).toBe(conf(3));
    expect(statSync(join(dir, 'cluster.conf')).mode & 0o777).toBe(0o600);
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual([
      'cluster.conf',
      'cluster.conf.bak.1',
      'cluster.conf.bak.2',
    ]);
  });

  it('continues above the highest backup present, as ccs_tool does', () => {
    writeClusterConf(dir, conf(1));
    writeClusterConf(dir, conf(2));
    writeClusterConf(dir, conf(3));
    rmSync(join(dir, 'cluster.conf.bak.1'));
    expect(writeClusterConf(dir, conf(4)).backup).toBe(join(dir, 'cluster.conf.bak.3'));
  });

  it('leaves a file that already holds the text alone: no write, no backup', () => {
    writeClusterConf(dir, conf(1));
    const before = statSync(join(dir, 'cluster.conf')).ino;
    expect(writeClusterConf(dir, conf(1))).toMatchObject({ written: false, backup: null });
    expect(statSync(join(dir, 'cluster.conf')).ino).toBe(before);
    expect(readdirSync(dir)).toEqual(['cluster.conf']);
  });
});
