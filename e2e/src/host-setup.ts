// Builds the namespaces of a run. Network: a switch namespace holding the bridge, and per host a
// namespace whose eth0 is one end of a veth pair created inside it, the other end going straight
// into the switch namespace; nothing is created in the root namespace. Mount and UTS: a pair of
// persistent namespaces per host (bind-mounted namespace files), with the host's own hostname,
// sysfs and folders bind-mounted over /etc/cluster, the state and the install directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mustRun, runCommand } from './command.js';
import {
  bridgeName,
  type HostMountPath,
  hostInterface,
  hostPaths,
  linkAlias,
  namespaceName,
  runPaths,
  switchNamespaceName,
  switchPortName,
} from './layout.js';
import { readMounts } from './procfs.js';

export interface HostSpec {
  name: string;
  address: string;
  mac: string;
}

/** `ip -batch` from standard input: one spawn for many commands in one namespace. */
function ipBatch(namespace: string | undefined, commands: string[]): Promise<string> {
  const args = namespace ? ['-n', namespace, '-batch', '-'] : ['-batch', '-'];
  return mustRun('ip', args, { input: `${commands.join('\n')}\n` });
}

export async function createNetwork(
  runId: string,
  hosts: readonly HostSpec[],
  prefixLength: number,
): Promise<void> {
  const sw = switchNamespaceName(runId);
  const hostNamespaces = hosts.map((host) => namespaceName(runId, host.name));
  await ipBatch(
    undefined,
    [sw, ...hostNamespaces].map((name) => `netns add ${name}`),
  );
  await ipBatch(sw, [
    'link set lo up',
    `link add ${bridgeName} type bridge`,
    `link set ${bridgeName} addrgenmode none`,
    `link set ${bridgeName} alias ${linkAlias(runId, 'sw')}`,
    `link set ${bridgeName} up`,
  ]);
  await Promise.all(
    hosts.map((host) =>
      ipBatch(namespaceName(runId, host.name), [
        'link set lo up',
        `link add ${hostInterface} address ${host.mac} type veth` +
          ` peer name ${switchPortName(host.name)} netns ${sw}`,
        // No IPv6 link-local address: no router solicitations or DAD chatter on the bridge.
        `link set ${hostInterface} addrgenmode none`,
        `link set ${hostInterface} alias ${linkAlias(runId, host.name)}`,
        `addr add ${host.address}/${prefixLength} dev ${hostInterface}`,
        `link set ${hostInterface} up`,
      ]),
    ),
  );
  await ipBatch(
    sw,
    hosts.flatMap((host) => {
      const port = switchPortName(host.name);
      return [
        `link set ${port} addrgenmode none`,
        `link set ${port} alias ${linkAlias(runId, `${host.name}-port`)}`,
        `link set ${port} master ${bridgeName}`,
        `link set ${port} up`,
      ];
    }),
  );
}

/**
 * The run's namespace files live in a private bind mount: a mount namespace file may not be
 * bind-mounted where the mount would propagate into that namespace itself.
 */
export async function prepareNamespaceFolder(runId: string): Promise<void> {
  const { nsDir } = runPaths(runId);
  mkdirSync(nsDir, { recursive: true });
  await mustRun('mount', ['--bind', nsDir, nsDir]);
  await mustRun('mount', ['--make-private', nsDir]);
}

function nsenterArgs(runId: string, host: string, kinds: Array<'mount' | 'uts' | 'net'>): string[] {
  const paths = hostPaths(runId, host);
  const files = {
    mount: paths.mountNamespaceFile,
    uts: paths.utsNamespaceFile,
    net: `/run/netns/${namespaceName(runId, host)}`,
  };
  return kinds.map((kind) => `--${kind}=${files[kind]}`);
}

/** Argument list that runs `command` inside all three of the host's namespaces. */
export function hostCommandArgs(
  runId: string,
  host: string,
  command: string,
  args: readonly string[],
  cwd?: string,
): string[] {
  const wd = cwd === undefined ? [] : [`--wd=${cwd}`];
  return [...nsenterArgs(runId, host, ['mount', 'uts', 'net']), ...wd, '--', command, ...args];
}

export async function createHostMountNamespace(runId: string, host: string): Promise<void> {
  const paths = hostPaths(runId, host);
  for (const folder of Object.values(paths.mounts)) mkdirSync(folder, { recursive: true });
  writeFileSync(paths.mountNamespaceFile, '');
  writeFileSync(paths.utsNamespaceFile, '');
  // The copy of our mounts that the new namespace starts with; namespace-file mounts among them
  // would keep other namespaces (other hosts, other runs) alive for as long as this host lives.
  const nsfsMounts = readMounts()
    .filter((entry) => entry.fsType === 'nsfs')
    .map((entry) => entry.mountPoint);
  await mustRun('unshare', [
    `--mount=${paths.mountNamespaceFile}`,
    `--uts=${paths.utsNamespaceFile}`,
    '--propagation',
    'private',
    'true',
  ]);
  const inHost = (command: string, args: string[]) =>
    mustRun('nsenter', [...nsenterArgs(runId, host, ['mount', 'uts', 'net']), command, ...args]);
  if (nsfsMounts.length > 0) {
    // Best effort: a mount point removed by another run since we read the list fails harmlessly.
    await runCommand('nsenter', [
      ...nsenterArgs(runId, host, ['mount']),
      'umount',
      '--lazy',
      ...nsfsMounts,
    ]);
  }
  await inHost('hostname', [host]);
  // A sysfs mounted from inside the host's netns lists the host's interfaces, not the machine's.
  await inHost('mount', ['-t', 'sysfs', 'sysfs', '/sys']);
  const overlaid = new Set<string>();
  for (const [inside, folder] of Object.entries(paths.mounts) as Array<[HostMountPath, string]>) {
    if (!existsSync(inside)) {
      await overlayParent(inside, paths.overlayDir, overlaid, inHost);
      await inHost('mkdir', ['-p', inside]);
    }
    await inHost('mount', ['--bind', folder, inside]);
  }
}

/**
 * A mount point that does not exist on the machine is made inside the host only: the parent
 * folder gets an overlay whose upper layer is the host's, so the machine's tree stays untouched.
 */
async function overlayParent(
  inside: string,
  overlayDir: string,
  overlaid: Set<string>,
  inHost: (command: string, args: string[]) => Promise<string>,
): Promise<void> {
  const parent = dirname(inside);
  if (overlaid.has(parent)) return;
  if (!existsSync(parent)) {
    throw new Error(`${inside}: cannot mount a host folder here: ${parent} does not exist`);
  }
  const layer = join(overlayDir, parent.replaceAll('/', '_'));
  const upper = join(layer, 'upper');
  const work = join(layer, 'work');
  mkdirSync(upper, { recursive: true });
  mkdirSync(work, { recursive: true });
  const options = `lowerdir=${parent},upperdir=${upper},workdir=${work}`;
  await inHost('mount', ['-t', 'overlay', 'overlay', '-o', options, parent]);
  overlaid.add(parent);
}
