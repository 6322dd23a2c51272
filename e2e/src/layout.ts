// Names and paths of one test network run. Everything a run creates carries its run id, so two
// runs (or another project's namespaces) never collide and a crashed run can be found again.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Every namespace of a run is named `qr<runId>-<host>`; the switch is `qr<runId>-sw`. */
export const namespacePrefix = 'qr';
const runIdPattern = /^[a-z0-9]{6}$/;
const hostNamePattern = /^[a-z][a-z0-9]{0,9}$/;

/** Where runs keep their files: one folder per run id. */
export const runsBaseDir = process.env.QUORATE_E2E_DIR ?? '/run/quorate-e2e';

/** The switch namespace's bridge, and the host end of every veth pair. */
export const bridgeName = 'br0';
export const hostInterface = 'eth0';

/** Folders bind-mounted inside each host, keyed by the path the host sees. */
export const hostMounts = {
  '/etc/cluster': 'etc-cluster',
  '/var/lib/quorate': 'state',
  '/opt/quorate': 'install',
} as const;
export type HostMountPath = keyof typeof hostMounts;

export function newRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** Throws unless `runId` has the fixed shape, so a prefix match can never reach another run. */
export function assertRunId(runId: string): void {
  if (!runIdPattern.test(runId)) {
    throw new Error(`runId: "${runId}" must be 6 characters of [a-z0-9]`);
  }
}

export function assertHostName(name: string): void {
  if (!hostNamePattern.test(name)) {
    throw new Error(`host name: "${name}" must be [a-z][a-z0-9]{0,9} (it names interfaces too)`);
  }
  if (name === 'sw') throw new Error('host name: "sw" is reserved for the switch namespace');
}

export function runNamespacePrefix(runId: string): string {
  assertRunId(runId);
  return `${namespacePrefix}${runId}-`;
}

export function namespaceName(runId: string, host: string): string {
  return `${runNamespacePrefix(runId)}${host}`;
}

export function switchNamespaceName(runId: string): string {
  return namespaceName(runId, 'sw');
}

/** The switch-side end of a host's veth pair (interface names are at most 15 bytes). */
export function switchPortName(host: string): string {
  return `p-${host}`;
}

/** A label put on every link the run creates (`ip link … alias`), to find leaks by run id. */
export function linkAlias(runId: string, host: string): string {
  return `${namespacePrefix}${runId}:${host}`;
}

export interface RunPaths {
  root: string;
  /** A private bind mount holding the persistent mount and UTS namespace files. */
  nsDir: string;
  manifest: string;
  /** Append-only JSON lines, one per process started on a host. */
  pidLog: string;
  hostsDir: string;
}

export function runPaths(runId: string): RunPaths {
  assertRunId(runId);
  const root = join(runsBaseDir, runId);
  return {
    root,
    nsDir: join(root, 'ns'),
    manifest: join(root, 'run.json'),
    pidLog: join(root, 'pids.jsonl'),
    hostsDir: join(root, 'hosts'),
  };
}

export interface HostPaths {
  root: string;
  mountNamespaceFile: string;
  utsNamespaceFile: string;
  /** Host folders by the path the host sees them at. */
  mounts: Record<HostMountPath, string>;
  /** Upper and work folders of the overlays that make missing mount points inside the host. */
  overlayDir: string;
}

export function hostPaths(runId: string, host: string): HostPaths {
  const run = runPaths(runId);
  const root = join(run.hostsDir, host);
  const mounts = Object.fromEntries(
    Object.entries(hostMounts).map(([inside, folder]) => [inside, join(root, folder)]),
  ) as Record<HostMountPath, string>;
  return {
    root,
    mountNamespaceFile: join(run.nsDir, `${host}.mnt`),
    utsNamespaceFile: join(run.nsDir, `${host}.uts`),
    mounts,
    overlayDir: join(root, 'overlay'),
  };
}

/** A locally administered MAC per host index, so filter rules need no lookup. */
export function hostMac(index: number): string {
  const hex = (index + 1).toString(16).padStart(4, '0');
  return `02:71:72:00:${hex.slice(0, 2)}:${hex.slice(2)}`;
}
