// Names and places of the agent bundle, shared by the build and the tests.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/ricci/bundle, from src/ (tests) and from dist/ (the built build script) alike. */
export const bundleDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** Where `pnpm bundle` writes the archive and its checksum; made anew by every build. */
export const outDir = join(bundleDir, 'out');

/** The repository's files the archive is made from. */
export const filesDir = join(bundleDir, 'files');

/** Inside the archive (and under the install prefix). */
export const OCF_AGENTS_DIR = 'lib/ocf/resource.d/quorate';
export const UNIT_NAME = 'quorate-ricci.service';
export const UNIT_PATH = `lib/systemd/system/${UNIT_NAME}`;
export const DOC_DIR = 'share/doc/quorate-agent';

export interface ArchiveNames {
  readonly version: string;
  /** `quorate-agent-VERSION-linux-x64`: the archive's one top folder, and its name. */
  readonly baseName: string;
  readonly archivePath: string;
  /** `sha256sum -c` format: the archive's digest and file name. */
  readonly checksumPath: string;
}

/** The agent's version: apps/ricci/package.json's. */
export function agentVersion(): string {
  const manifest = JSON.parse(readFileSync(join(bundleDir, '..', 'package.json'), 'utf8'));
  const version: unknown = manifest.version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new Error(`apps/ricci/package.json version: ${String(version)} is not a semver version`);
  }
  return version;
}

/** The executable is a copy of the Node.js that builds it, so it runs where that one runs. */
export function platformName(): string {
  return `${process.platform}-${process.arch}`;
}

export function archiveNames(version = agentVersion()): ArchiveNames {
  const baseName = `quorate-agent-${version}-${platformName()}`;
  const archivePath = join(outDir, `${baseName}.tar.gz`);
  return { version, baseName, archivePath, checksumPath: `${archivePath}.sha256` };
}
