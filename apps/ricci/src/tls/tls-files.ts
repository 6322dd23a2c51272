import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, fsyncDir } from '../storage/state-dir.js';
import type { PemPair } from './certificates.js';

/** Private keys are readable by their owner only; certificates are public. */
export const KEY_FILE_MODE = 0o600;
export const CERT_FILE_MODE = 0o644;

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';

export function nodeCertFile(nodeName: string): string {
  return `node-${nodeName}.crt`;
}

export function nodeKeyFile(nodeName: string): string {
  return `node-${nodeName}.key`;
}

/** Where TLS material lives by default: `tls/` inside the state directory (mode 0700). */
export function tlsDirIn(stateDir: string): string {
  return join(stateDir, 'tls');
}

/** What a node needs to speak to its peers: the cluster CA and its own certificate and key. */
export interface NodeTlsMaterial {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export function writeCa(dir: string, ca: PemPair): void {
  writePair(dir, CA_CERT_FILE, CA_KEY_FILE, ca);
}

export function readCa(dir: string): PemPair {
  return { certPem: readPem(dir, CA_CERT_FILE), keyPem: readPem(dir, CA_KEY_FILE) };
}

export function writeNodePair(dir: string, nodeName: string, pair: PemPair): void {
  writePair(dir, nodeCertFile(nodeName), nodeKeyFile(nodeName), pair);
}

export function readNodeTls(dir: string, nodeName: string): NodeTlsMaterial {
  return {
    caPem: readPem(dir, CA_CERT_FILE),
    certPem: readPem(dir, nodeCertFile(nodeName)),
    keyPem: readPem(dir, nodeKeyFile(nodeName)),
  };
}

function writePair(dir: string, certFile: string, keyFile: string, pair: PemPair): void {
  ensurePrivateDir(dir);
  // The key first: a certificate without its key is useless, a key without its certificate harmless.
  writeFileAtomically(join(dir, keyFile), pair.keyPem, KEY_FILE_MODE);
  writeFileAtomically(join(dir, certFile), pair.certPem, CERT_FILE_MODE);
  fsyncDir(dir);
}

function readPem(dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${path}: cannot read TLS material (${code}); make it with "quorate cert"`);
  }
}

/**
 * Writes `text` to a temporary file created with `mode` (never briefly wider), fsyncs it and
 * renames it over `path`, so a crash leaves the old file or the new one, never half of one.
 */
export function writeFileAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}
