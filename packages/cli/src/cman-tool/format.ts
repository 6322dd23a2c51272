import type { ClusterStatus, MemberStatus } from '@quorate/protocol';
import type { WallClock } from '../command-io.js';
import { isoLocalTime } from '../text/time-format.js';

// cman_tool's reports, line for line as cman printed them (rhcs.md §3.3): pcs and other
// scripts parse `cman_tool status`.

const membershipWords: Record<ClusterStatus['local']['membership'], string> = {
  joining: 'Joining',
  member: 'Cluster-Member',
  'not-in-cluster': 'Not-in-Cluster',
  leaving: 'Leaving',
};

/** cman's port 0 is cman itself and 177 rgmanager's: "bound" while each runs. */
const cmanPort = 0;
const rgmanagerPort = 177;

export function formatCmanStatus(status: ClusterStatus): string {
  const { cluster, quorum, local, resourceManager } = status;
  const members = status.members.filter((m) => m.online).length;
  // Subsystems: membership and quorum, fencing, and the resource manager while it runs.
  const subsystems = 2 + (resourceManager.running ? 1 : 0);
  const ports = [cmanPort, ...(resourceManager.running ? [rgmanagerPort] : [])];
  return [
    `Version: ${cluster.agentVersion}`,
    `Config Version: ${cluster.configVersion}`,
    `Cluster Name: ${cluster.name}`,
    `Cluster Id: ${cluster.id}`,
    `Cluster Member: ${local.membership === 'member' ? 'Yes' : 'No'}`,
    `Cluster Generation: ${cluster.generation}`,
    `Membership state: ${membershipWords[local.membership]}`,
    `Nodes: ${members}`,
    `Expected votes: ${quorum.expectedVotes}`,
    `Total votes: ${quorum.totalVotes}`,
    `Node votes: ${local.votes}`,
    `Quorum: ${quorum.quorum} ${quorum.quorate ? ' ' : 'Activity blocked'}`,
    `Active subsystems: ${subsystems}`,
    `Flags:${cluster.twoNode ? ' 2node' : ''} `,
    `Ports Bound: ${ports.map((p) => `${p} `).join('')} `,
    `Node name: ${local.name}`,
    `Node ID: ${local.nodeId}`,
    // There is no multicast: peers talk over TLS WebSockets to each node's addresses.
    'Multicast addresses: ',
    `Node addresses: ${local.addresses.map((a) => `${a} `).join('')}`,
    '',
  ].join('\n');
}

export interface NodesView {
  /** -a: also each node's addresses. */
  readonly addresses?: boolean;
  /** -n: only these nodes. */
  readonly names?: readonly string[];
}

function nodeLine(m: MemberStatus, view: NodesView, clock: Pick<WallClock, 'utcOffsetMinutes'>) {
  const joined = m.online && m.joinedMs !== null ? isoLocalTime(m.joinedMs, clock) : ' '.repeat(19);
  const sts = m.online ? 'M' : 'X';
  const line = `${String(m.nodeId).padStart(4)}   ${sts}  ${String(m.incarnation).padStart(5)}   ${joined}  ${m.name}\n`;
  if (!view.addresses || m.addresses.length === 0) return line;
  return `${line}       Addresses: ${m.addresses.map((a) => `${a} `).join('')}\n`;
}

export function formatCmanNodes(
  status: ClusterStatus,
  view: NodesView,
  clock: Pick<WallClock, 'utcOffsetMinutes'>,
): string {
  const members = [...status.members]
    .filter((m) => view.names === undefined || view.names.includes(m.name))
    .sort((a, b) => a.nodeId - b.nodeId);
  const header = 'Node  Sts   Inc   Joined               Name\n';
  return `${header}${members.map((m) => nodeLine(m, view, clock)).join('')}`;
}

export function formatCmanVersion(status: ClusterStatus): string {
  return `${status.cluster.agentVersion} config ${status.cluster.configVersion}\n`;
}
