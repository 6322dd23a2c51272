import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { maxConfigBytes } from '@quorate/core';

/** A failure ccs_tool reports as one line and exit status 1. */
export class CcsToolError extends Error {
  override name = 'CcsToolError';
}

export const defaultConfigDir = '/etc/cluster';
export const configFileName = 'cluster.conf';
/** A new file is readable by root and the cluster group only: it may hold fence passwords. */
export const newFileMode = 0o640;

/** `-c FILE`, else cluster.conf in QUORATE_CONFIG_DIR, else in /etc/cluster. */
export function configPath(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (explicit !== undefined) return explicit;
  return join(env.QUORATE_CONFIG_DIR || defaultConfigDir, configFileName);
}

export interface LoadedFile {
  readonly path: string;
  readonly bytes: Buffer;
  readonly text: string;
  readonly mode: number;
}

const errnoText = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code} (${err.message.replace(/^\w+: /, '')})` : String(e);
};

/** Reads the config, refusing what is not a regular, UTF-8 file of a sane size. */
export function readConfigFile(path: string): LoadedFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (e) {
    throw new CcsToolError(`cannot open ${path}: ${errnoText(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CcsToolError(`${path} is not a regular file`);
    // Checked before reading, so a huge file is never loaded into memory.
    if (st.size > maxConfigBytes) {
      throw new CcsToolError(
        `${path} is ${st.size} bytes; the limit is ${maxConfigBytes} bytes (4 MiB)`,
      );
    }
    const bytes = readFileSync(fd);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new CcsToolError(`${path} is not valid UTF-8`);
    }
    return { path, bytes, text, mode: st.mode & 0o7777 };
  } finally {
    closeSync(fd);
  }
}

/** The next free `cluster.conf.bak.N`: one more than the highest that exists. */
export function nextBackupPath(path: string): string {
  const dir = dirname(path);
  const prefix = `${basename(path)}.bak.`;
  let highest = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const n = name.slice(prefix.length);
    if (/^\d{1,9}$/.test(n)) highest = Math.max(highest, Number(n));
  }
  return join(dir, `${prefix}${highest + 1}`);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean up.
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeTemp(path: string, data: Buffer, mode: number): string {
  const temp = join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    removeQuietly(temp);
    throw e;
  }
  closeSync(fd);
  return temp;
}

function checkUnchanged(path: string, previous: LoadedFile): number {
  let current: Buffer;
  try {
    current = readFileSync(path);
  } catch (e) {
    throw new CcsToolError(`cannot read ${path} again before writing: ${errnoText(e)}`);
  }
  if (!current.equals(previous.bytes)) {
    throw new CcsToolError(`${path} changed while ccs_tool was editing it; nothing was written`);
  }
  return statSync(path).mode & 0o7777;
}

/**
 * Replaces the file atomically: the new text goes to a temporary file in the same directory
 * (fsynced, with the old file's mode, or 0640 for a new one), the old file is kept as
 * `cluster.conf.bak.N` (a hard link, so no copy can be torn), then a rename puts the new one
 * in place and the directory is fsynced. `previous` is what the caller read: if the file
 * changed since, nothing is written. Without `previous` the file must not exist (a hard link
 * creates it, which fails rather than overwrite). Any failure leaves the directory as it was.
 */
export function writeConfigFile(
  path: string,
  text: string,
  previous: LoadedFile | undefined,
): { backup: string | undefined } {
  const mode = previous ? checkUnchanged(path, previous) : newFileMode;
  let temp: string | undefined;
  let backup: string | undefined;
  try {
    temp = writeTemp(path, Buffer.from(text, 'utf8'), mode);
    if (previous) {
      const candidate = nextBackupPath(path);
      linkSync(path, candidate);
      backup = candidate;
      renameSync(temp, path);
    } else {
      linkSync(temp, path);
      removeQuietly(temp);
    }
    temp = undefined;
    fsyncDirectory(dirname(path));
    return { backup };
  } catch (e) {
    // Not in place: take back the temp file and the backup, so the directory is as it was.
    if (temp !== undefined) {
      removeQuietly(temp);
      if (backup !== undefined) removeQuietly(backup);
    }
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !previous) {
      throw new CcsToolError(`${path} already exists`);
    }
    throw new CcsToolError(`cannot write ${path}: ${errnoText(e)}`);
  }
}
