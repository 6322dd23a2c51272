import type { NodeId } from '@quorate/core';
import type { Prng } from './prng.js';

/**
 * What a simulated fence device does when it runs (the agent named in cluster.conf only tells
 * the controller whether it cuts power): `power` turns the victim off, `fabric` cuts it off its
 * storage and network but leaves it running, `failing` always fails, `slow` powers off after
 * two to four token times, `manual` is `fence_manual` (the administrator acknowledges).
 */
export type SimFenceKind = 'power' | 'fabric' | 'failing' | 'slow' | 'manual';

const FENCE_AGENT: Record<SimFenceKind, string> = {
  power: 'fence_ipmilan',
  fabric: 'fence_scsi',
  failing: 'fence_apc',
  slow: 'fence_apc',
  manual: 'fence_manual',
};

export interface SimDomain {
  readonly name: string;
  readonly ordered: boolean;
  readonly restricted: boolean;
  /** Member nodes in priority order. */
  readonly nodes: readonly NodeId[];
}

export interface SimService {
  readonly name: string;
  readonly domain: string | null;
  readonly recovery: 'restart' | 'relocate' | 'disable' | 'restart-disable';
  /** `max_restarts` / `restart_expire_time` (seconds), for restart and restart-disable. */
  readonly maxRestarts: number;
  readonly restartExpireS: number;
  /** Resource XML lines inside the `<service>` element. */
  readonly resources: readonly string[];
}

/** The services, failover domains and fence devices of one seed's cluster.conf. */
export interface ServiceLayout {
  /** Per node, its fence methods in order; each method has one device of this kind. */
  readonly fenceMethods: Readonly<Record<NodeId, readonly SimFenceKind[]>>;
  readonly domains: readonly SimDomain[];
  readonly services: readonly SimService[];
}

/** The device name of `node`'s method number `method` (1-based). */
export function fenceDeviceName(node: NodeId, method: number): string {
  return `fd-${node}-${method}`;
}

/** The simulated kind of a device, from the layout (unknown devices behave as power). */
export function fenceKindOf(layout: ServiceLayout, device: string): SimFenceKind {
  const match = /^fd-(.+)-(\d+)$/.exec(device);
  if (!match) return 'power';
  return layout.fenceMethods[match[1]!]?.[Number(match[2]) - 1] ?? 'power';
}

function drawFenceMethods(random: Prng): SimFenceKind[] {
  const first = random.pick<SimFenceKind>([
    'power',
    'power',
    'power',
    'fabric',
    'failing',
    'slow',
    'manual',
  ]);
  // A failing first method falls back to a working one, as a PDU behind an IPMI card would.
  if (first === 'failing' || random.chance(0.25)) {
    return [first, random.pick<SimFenceKind>(['power', 'manual', 'fabric'])];
  }
  return [first];
}

function drawResources(random: Prng, i: number): string[] {
  const out: string[] = [`<ip address="10.1.0.${10 + i}/24"/>`];
  const statusS = random.pick([2, 5, 10]);
  const independent = random.chance(0.2) ? ` __independent_subtree="${random.between(1, 2)}"` : '';
  out.push(
    `<script name="app${i}" file="/etc/init.d/app${i}"${independent}>` +
      `<action name="status" depth="0" interval="${statusS}s" timeout="5s"/>` +
      '<action name="start" timeout="5s"/><action name="stop" timeout="5s"/></script>',
  );
  if (random.chance(0.4)) {
    out.push(
      `<fs name="data${i}" device="/dev/sim/data${i}" mountpoint="/srv/data${i}" fstype="ext4"/>`,
    );
  }
  if (random.chance(0.3)) {
    const nonCritical = random.chance(0.5) ? ' __independent_subtree="2"' : '';
    out.push(`<script name="extra${i}" file="/etc/init.d/extra${i}"${nonCritical}/>`);
  }
  return out;
}

/** Two to four services in ordered/restricted domains, and fence methods for every node. */
export function drawServiceLayout(random: Prng, nodes: readonly NodeId[]): ServiceLayout {
  const fenceMethods: Record<NodeId, SimFenceKind[]> = {};
  for (const node of nodes) fenceMethods[node] = drawFenceMethods(random);
  const domains: SimDomain[] = [];
  for (let d = 1; d <= 2; d++) {
    const members = random.shuffle(nodes).slice(0, random.between(2, nodes.length));
    domains.push({
      name: `dom${d}`,
      ordered: random.chance(0.6),
      restricted: random.chance(0.5),
      nodes: members,
    });
  }
  const services: SimService[] = [];
  const count = random.between(2, 4);
  for (let i = 1; i <= count; i++) {
    services.push({
      name: `svc${i}`,
      domain: random.chance(0.75) ? random.pick(domains).name : null,
      recovery: random.pick(['restart', 'restart', 'relocate', 'disable', 'restart-disable']),
      maxRestarts: random.between(0, 3),
      restartExpireS: random.pick([10, 60, 300]),
      resources: drawResources(random, i),
    });
  }
  return { fenceMethods, domains, services };
}

/** `<clusternode>` children: the node's fence methods. */
export function fenceXml(layout: ServiceLayout | null, node: NodeId): string[] {
  const kinds: readonly SimFenceKind[] = layout ? (layout.fenceMethods[node] ?? []) : ['manual'];
  const lines = ['      <fence>'];
  kinds.forEach((_, m) => {
    const device = layout ? fenceDeviceName(node, m + 1) : 'manual';
    lines.push(
      `        <method name="${layout ? `m${m + 1}` : 'single'}">`,
      `          <device name="${device}" nodename="${node}"/>`,
      '        </method>',
    );
  });
  lines.push('      </fence>');
  return lines;
}

/** `<fencedevices>` and `<rm>` for the nodes present in this version of the file. */
export function layoutXml(layout: ServiceLayout | null, nodes: readonly NodeId[]): string[] {
  if (!layout) {
    return [
      '  <fencedevices>',
      '    <fencedevice name="manual" agent="fence_manual"/>',
      '  </fencedevices>',
    ];
  }
  const present = new Set(nodes);
  const lines = ['  <fencedevices>'];
  for (const node of nodes) {
    (layout.fenceMethods[node] ?? []).forEach((kind, m) => {
      const name = fenceDeviceName(node, m + 1);
      lines.push(`    <fencedevice name="${name}" agent="${FENCE_AGENT[kind]}"/>`);
    });
  }
  lines.push('  </fencedevices>', '  <rm>', '    <failoverdomains>');
  // A domain keeps only the nodes this version of the file has; an empty one is left out.
  const domains = layout.domains
    .map((d) => ({ ...d, nodes: d.nodes.filter((n) => present.has(n)) }))
    .filter((d) => d.nodes.length > 0);
  for (const d of domains) {
    lines.push(
      `      <failoverdomain name="${d.name}" ordered="${d.ordered ? 1 : 0}" restricted="${d.restricted ? 1 : 0}">`,
      ...d.nodes.map((n, i) => `        <failoverdomainnode name="${n}" priority="${i + 1}"/>`),
      '      </failoverdomain>',
    );
  }
  lines.push('    </failoverdomains>');
  for (const s of layout.services) {
    const domain = domains.some((d) => d.name === s.domain) ? ` domain="${s.domain}"` : '';
    const restarts =
      s.recovery === 'restart' || s.recovery === 'restart-disable'
        ? ` max_restarts="${s.maxRestarts}" restart_expire_time="${s.restartExpireS}"`
        : '';
    lines.push(
      `    <service name="${s.name}" autostart="1"${domain} recovery="${s.recovery}"${restarts}>`,
      ...s.resources.map((r) => `      ${r}`),
      '    </service>',
    );
  }
  lines.push('  </rm>');
  return lines;
}
