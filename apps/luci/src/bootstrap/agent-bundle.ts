// The agent archive the console installs (`pnpm bundle`: apps/ricci/bundle/README.md): its
// checksum, the architecture it is built for and how much room it takes unpacked.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

export interface AgentBundle {
  readonly archivePath: string;
  /** The archive's one top folder, where install.sh is: `quorate-agent-VERSION-linux-ARCH`. */
  readonly topFolder: string;
  readonly version: string;
  /** `uname -m` of the machines it runs on. */
  readonly arch: string;
  readonly sha256: string;
  readonly archiveBytes: number;
  readonly unpackedBytes: number;
}

/** Node's platform names → `uname -m`. */
const UNAME_ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64' };

const ARCHIVE_NAME = /^(quorate-agent-(\d[\w.+-]*)-linux-(\w+))\.tar\.gz$/;

/** Where `pnpm bundle` writes the archive in this repository. */
export function defaultBundleDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/bootstrap or dist/bootstrap → apps/luci → apps/ricci/bundle/out
  return join(here, '..', '..', '..', 'ricci', 'bundle', 'out');
}

/**
 * Reads the archive's facts. Its checksum file (`sha256sum` format, beside it) must match the
 * archive: a console that copied a damaged archive to every node would fail late and everywhere.
 */
export async function loadAgentBundle(archivePath: string): Promise<AgentBundle> {
  const match = ARCHIVE_NAME.exec(basename(archivePath));
  if (!match?.[1] || !match[2] || !match[3]) {
    throw new Error(
      `${archivePath}: not an agent archive (quorate-agent-VERSION-linux-ARCH.tar.gz)`,
    );
  }
  const arch = UNAME_ARCH[match[3]];
  if (!arch) throw new Error(`${archivePath}: unknown architecture "${match[3]}"`);
  const listed = readFileSync(`${archivePath}.sha256`, 'utf8').trim().split(/\s+/)[0] ?? '';
  const { sha256, unpackedBytes } = await digestAndMeasure(archivePath);
  if (listed !== sha256) {
    throw new Error(
      `${archivePath}: its sha256 is ${sha256}, but ${archivePath}.sha256 lists ${listed}`,
    );
  }
  return {
    archivePath,
    topFolder: match[1],
    version: match[2],
    arch,
    sha256,
    archiveBytes: statSync(archivePath).size,
    unpackedBytes,
  };
}

/** The newest archive in the repository's bundle output folder. */
export async function loadDefaultAgentBundle(): Promise<AgentBundle> {
  const dir = defaultBundleDir();
  const version = JSON.parse(readFileSync(join(dir, '..', '..', 'package.json'), 'utf8')).version;
  // `pnpm bundle` builds for the machine it runs on, named with Node's architecture name.
  return loadAgentBundle(join(dir, `quorate-agent-${version}-linux-${process.arch}.tar.gz`));
}

/** One read: the archive's SHA-256 and the size of the tar stream inside the gzip. */
function digestAndMeasure(path: string): Promise<{ sha256: string; unpackedBytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const gunzip = createGunzip();
    let unpackedBytes = 0;
    const input = createReadStream(path);
    input.on('error', reject);
    gunzip.on('error', reject);
    input.on('data', (chunk) => hash.update(chunk));
    gunzip.on('data', (chunk: Buffer) => {
      unpackedBytes += chunk.length;
    });
    gunzip.on('end', () => resolve({ sha256: hash.digest('hex'), unpackedBytes }));
    input.pipe(gunzip);
  });
}
