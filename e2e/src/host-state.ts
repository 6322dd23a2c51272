// What a test host holds right now, read from outside through its namespaces (netlink and the
// mount table; no packet is sent): the IPv4 addresses on its eth0 and the mounts in its mount
// namespace. Power-off uses it to take what a reboot would not keep; observers sample with it.
import { mustRun } from './command.js';
import { hostInterface } from './layout.js';

export interface HostMount {
  /** The mount's id in /proc/self/mountinfo (unique while it is mounted). */
  readonly id: number;
  /** The path inside its file system that is mounted: `/` unless it is a bind mount of a part. */
  readonly root: string;
  readonly source: string;
  readonly target: string;
  readonly fsType: string;
}

export interface HostState {
  /** IPv4 addresses on eth0, without prefix lengths, the host's own among them. */
  readonly addresses: readonly string[];
  readonly mounts: readonly HostMount[];
}

export interface HostNamespaces {
  /** The network namespace's name (`ip -n NAME`). */
  readonly namespace: string;
  readonly mountNamespaceFile: string;
}

const separator = '--quorate-mounts--';

/** Reads the host's addresses and mounts in one nsenter (two small commands inside it). */
export async function readHostState(host: HostNamespaces): Promise<HostState> {
  const script = `ip -4 -o addr show dev ${hostInterface}; echo ${separator}; cat /proc/self/mountinfo`;
  const output = await mustRun('nsenter', [
    `--net=/run/netns/${host.namespace}`,
    `--mount=${host.mountNamespaceFile}`,
    '--',
    'sh',
    '-c',
    script,
  ]);
  const [addressPart = '', mountPart = ''] = output.split(`${separator}\n`);
  return { addresses: parseAddresses(addressPart), mounts: parseMountInfo(mountPart) };
}

/** `ip -4 -o addr show` lines: "2: eth0    inet 10.231.0.1/24 brd … scope global eth0…". */
export function parseAddresses(text: string): string[] {
  const addresses: string[] = [];
  for (const line of text.split('\n')) {
    const match = /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(line);
    if (match?.[1]) addresses.push(match[1]);
  }
  return addresses;
}

/** /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT TARGET OPTIONS [OPTIONAL…] - FSTYPE SOURCE …". */
export function parseMountInfo(text: string): HostMount[] {
  const mounts: HostMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    const id = Number(fields[0]);
    if (dash < 0 || !Number.isInteger(id) || fields.length < dash + 3) continue;
    mounts.push({
      id,
      root: unescapeMountField(fields[3] ?? ''),
      target: unescapeMountField(fields[4] ?? ''),
      fsType: fields[dash + 1] ?? '',
      source: unescapeMountField(fields[dash + 2] ?? ''),
    });
  }
  return mounts;
}

/** The kernel writes space, tab, newline and backslash in mount fields as octal escapes. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}
