// Agents from the agent bundle on test hosts (DESIGN.md §5, §6): the archive is unpacked once,
// each host installs it with the bundle's own install.sh (into the host's /opt/quorate,
// /etc/cluster and /var/lib/quorate), and a host can hide the machine's Node.js behind bind
// mounts, to prove that the bundle needs none.
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { mustRun } from './command.js';
import type { HostProcess } from './host-process.js';
import type { ExecResult, SpawnOptions, TestNetwork } from './test-network.js';

/** Where a host installs the bundle: its install directory (a per-host bind mount). */
export const BUNDLE_PREFIX = '/opt/quorate';

/** The PATH bundled commands run with: the system's, where the hidden `node` would be. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Unpacks an agent archive into `into` (made if missing); returns its one top folder. */
export async function unpackBundle(archivePath: string, into: string): Promise<string> {
  mkdirSync(into, { recursive: true });
  await mustRun('tar', ['-xzf', archivePath, '-C', into]);
  const entries = readdirSync(into);
  if (entries.length !== 1 || entries[0] === undefined) {
    throw new Error(`${archivePath}: must hold one top folder, holds ${entries.join(', ')}`);
  }
  return join(into, entries[0]);
}

/**
 * Installs the unpacked bundle on a host with its install.sh, run inside the host. The unit goes
 * to the host's own `/opt/quorate/systemd`: the machine's /etc/systemd is not the host's.
 */
export async function installBundle(
  network: TestNetwork,
  hostName: string,
  unpackedDir: string,
): Promise<ExecResult> {
  const args = [
    join(unpackedDir, 'install.sh'),
    '--prefix',
    BUNDLE_PREFIX,
    '--unit-dir',
    `${BUNDLE_PREFIX}/systemd`,
  ];
  const result = await network.exec(hostName, 'sh', args, { env: { PATH: SYSTEM_PATH } });
  if (result.code !== 0) {
    throw new Error(`${hostName}: install.sh: exit ${result.code}: ${result.stderr.trim()}`);
  }
  return result;
}

/** Every file a `node` or `nodejs` command resolves to here (this process's included). */
export function machineNodePaths(
  searchPath = `${process.env.PATH ?? ''}:${SYSTEM_PATH}`,
): string[] {
  const candidates = [process.execPath];
  for (const dir of searchPath.split(delimiter)) {
    if (dir) candidates.push(join(dir, 'node'), join(dir, 'nodejs'));
  }
  const found = candidates.filter((path) => existsSync(path)).map((path) => realpathSync(path));
  return [...new Set(found)].sort();
}

/**
 * Hides the machine's Node.js on a host: an empty file without execute permission is bind-mounted
 * over each path `node` resolves to, in the host's mount namespace only. Returns those paths.
 */
export async function hideNode(network: TestNetwork, hostName: string): Promise<string[]> {
  const blank = join(network.host(hostName).paths.root, 'no-node');
  writeFileSync(blank, '', { mode: 0o644 });
  const hidden = machineNodePaths();
  for (const path of hidden) {
    const result = await network.exec(hostName, 'mount', ['--bind', blank, path]);
    if (result.code !== 0) {
      throw new Error(`${hostName}: mount --bind over ${path}: ${result.stderr.trim()}`);
    }
  }
  return hidden;
}

/** Starts a command of the installed bundle (`ricci`, `ccs_tool`, `quorate`) on a host. */
export function spawnBundled(
  network: TestNetwork,
  hostName: string,
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): HostProcess {
  const env = options.env ?? { PATH: SYSTEM_PATH };
  return network.spawn(hostName, join(BUNDLE_PREFIX, 'bin', command), args, { ...options, env });
}
