import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from './state-dir.js';

export const CLUSTER_CONF_FILE = 'cluster.conf';
/** A new cluster.conf is readable by root and the cluster group only: it may hold fence passwords. */
export const NEW_CLUSTER_CONF_MODE = 0o640;

/** What writing one committed cluster.conf did. */
export interface ConfigFileWrite {
  readonly path: string;
  /** False when the file already held exactly this text (a restart replaying its log). */
  readonly written: boolean;
  /** Where the file it replaced is kept (`cluster.conf.bak.N`), or null when there was none. */
  readonly backup: string | null;
}

/**
 * Writes a committed cluster.conf into `configDir` the way `ccs_tool` writes an edited one
 * (packages/cli, `writeConfigFile`): the text goes to a temporary file in the same directory,
 * fsynced, with the old file's mode (0640 for a first file); the old file is kept as
 * `cluster.conf.bak.N`, one above the highest N present, by a hard link, so no backup can be
 * torn; a rename puts the new file in place and the directory is fsynced. A crash at any point
 * leaves the old file or the new one at `cluster.conf`, never a mix.
 *
 * The agent cannot import the CLI's writer (DESIGN.md §1: apps/ricci imports core and
 * protocol only), so the scheme is repeated here, and the two must stay the same.
 */
export function writeClusterConf(configDir: string, text: string): ConfigFileWrite {
  mkdirSync(configDir, { recursive: true, mode: 0o755 });
  const path = join(configDir, CLUSTER_CONF_FILE);
  const current = readIfPresent(path);
  if (current?.equals(Buffer.from(text, 'utf8'))) return { path, written: false, backup: null };
  const mode = current ? statSync(path).mode & 0o7777 : NEW_CLUSTER_CONF_MODE;
  const temporary = writeTemporary(path, text, mode);
  let backup: string | null = null;
  try {
    if (current) {
      backup = nextBackupPath(path);
      linkSync(path, backup);
    }
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    if (backup) removeQuietly(backup);
    throw error;
  }
  fsyncDir(configDir);
  return { path, written: true, backup };
}

/** `cluster.conf.bak.N` for one more than the highest N in the directory. */
export function nextBackupPath(path: string): string {
  const prefix = `${basename(path)}.bak.`;
  let highest = 0;
  for (const name of readdirSync(dirname(path))) {
    const suffix = name.startsWith(prefix) ? name.slice(prefix.length) : '';
    if (/^\d{1,9}$/.test(suffix)) highest = Math.max(highest, Number(suffix));
  }
  return join(dirname(path), `${prefix}${highest + 1}`);
}

function readIfPresent(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function writeTemporary(path: string, text: string, mode: number): string {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temporary);
    throw error;
  }
  closeSync(fd);
  return temporary;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to take back.
  }
}
