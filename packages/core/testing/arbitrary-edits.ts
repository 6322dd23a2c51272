// Seeds for random edits: `editFromSeed` resolves one against the current configuration,
// mostly naming things that exist and now and then something that does not (a refusal).
import fc from 'fast-check';
import type { ConfigEdit } from '../src/cluster-conf/edit-model.js';
import type { ClusterConf, ResourceConf } from '../src/cluster-conf/model.js';
import { arbTrickyValue } from './arbitrary.js';

const editOps = [
  'addNode',
  'deleteNode',
  'setNodeProperties',
  'addFenceDevice',
  'updateFenceDevice',
  'deleteFenceDevice',
  'addFenceMethod',
  'deleteFenceMethod',
  'addMethodDevice',
  'deleteMethodDevice',
  'addUnfenceDevice',
  'deleteUnfenceDevice',
  'addFailoverDomain',
  'updateFailoverDomain',
  'deleteFailoverDomain',
  'setDomainMember',
  'deleteDomainMember',
  'addResource',
  'updateResource',
  'deleteResource',
  'addService',
  'updateService',
  'deleteService',
  'addServiceResource',
  'deleteServiceResource',
  'setClusterProperties',
] as const satisfies readonly ConfigEdit['op'][];

/** Random choices for one edit; `editFromSeed` resolves them against the current config. */
export interface EditSeed {
  readonly op: ConfigEdit['op'];
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly text: string;
  readonly flag: boolean;
}

export const arbEditSeed: fc.Arbitrary<EditSeed> = fc.record({
  op: fc.constantFrom(...editOps),
  a: fc.nat(60),
  b: fc.nat(60),
  c: fc.nat(60),
  text: arbTrickyValue,
  flag: fc.boolean(),
});

/** Mostly an existing name; now and then one that does not exist, to exercise refusals. */
function pick(names: readonly string[], i: number, ghost: string): string {
  return i % (names.length + 1) === names.length ? ghost : names[i % (names.length + 1)]!;
}

const resourceKinds = ['ip', 'script', 'fs'] as const;

function inlineParams(kind: (typeof resourceKinds)[number], n: number): Record<string, string> {
  if (kind === 'ip') return { address: `10.7.${n % 250}.${(Math.floor(n / 250) % 250) + 1}` };
  if (kind === 'script') return { name: `e${n}`, file: `/etc/init.d/e${n}` };
  return { name: `e${n}`, device: `/dev/e${n}`, mountpoint: `/mnt/e${n}` };
}

/** Tree paths of every resource in a service, depth first (the service itself excluded). */
function treePaths(conf: ClusterConf, service: string): number[][] {
  const svc = conf.rm?.services.find((s) => s.params.name === service);
  const out: number[][] = [];
  const walk = (children: readonly ResourceConf[], at: number[]) =>
    children.forEach((c, i) => {
      out.push([...at, i]);
      walk(c.children, [...at, i]);
    });
  if (svc) walk(svc.children, []);
  return out;
}

interface Picks {
  readonly conf: ClusterConf;
  readonly node: string;
  readonly device: string;
  readonly domain: string;
  readonly service: string;
  readonly method: ClusterConf['nodes'][number]['fenceMethods'][number] | undefined;
  readonly global: ResourceConf | undefined;
  readonly globalPrimary: string;
  readonly kind: (typeof resourceKinds)[number];
  readonly serial: number;
  readonly paths: number[][];
}

function picksFor(conf: ClusterConf, s: EditSeed): Picks {
  const nodeNames = conf.nodes.map((n) => n.name);
  const node = pick(nodeNames, s.a, `node-ghost${s.a}`);
  const service = pick(
    conf.rm?.services.map((x) => x.params.name ?? '') ?? [],
    s.a,
    `svc-ghost${s.a}`,
  );
  const methods = conf.nodes.find((n) => n.name === node)?.fenceMethods ?? [];
  const globals = conf.rm?.resources ?? [];
  const global = globals[s.c % Math.max(1, globals.length)];
  return {
    conf,
    node,
    device: pick(
      conf.fenceDevices.map((d) => d.name),
      s.b,
      `fd-ghost${s.b}`,
    ),
    domain: pick(conf.rm?.failoverDomains.map((d) => d.name) ?? [], s.a, `dom-ghost${s.a}`),
    service,
    method: methods[s.b % Math.max(1, methods.length)],
    global,
    globalPrimary: global ? (global.params.address ?? global.params.name ?? '') : 'none',
    kind: resourceKinds[s.b % 3]!,
    serial: s.a * 3721 + s.b * 61 + s.c,
    paths: treePaths(conf, service),
  };
}

/** Edits of nodes and their fencing. */
function nodeEdit(p: Picks, s: EditSeed): ConfigEdit | undefined {
  const { conf, node, device, method } = p;
  switch (s.op) {
    case 'addNode':
      return {
        op: s.op,
        name: `node-n${s.a}`,
        ...(s.flag ? {} : { nodeid: s.b }),
        votes: s.c % 4,
        ...(s.flag && conf.fenceDevices.length
          ? { fence: { device, params: { port: s.text } } }
          : {}),
      };
    case 'deleteNode':
      return { op: s.op, name: node };
    case 'setNodeProperties':
      return {
        op: s.op,
        name: node,
        votes: s.b % 4,
        ...(s.flag ? { nodeid: s.c } : {}),
        ...(s.c % 3 === 0 ? { altname: null } : s.c % 3 === 1 ? { altname: `alt${s.b}` } : {}),
      };
    case 'addFenceMethod':
      return { op: s.op, node, method: `m${s.b % 4}` };
    case 'deleteFenceMethod':
      return { op: s.op, node, method: method?.name ?? 'none' };
    case 'addMethodDevice':
      return {
        op: s.op,
        node,
        method: method?.name ?? 'none',
        use: { device, params: { port: s.text } },
      };
    case 'deleteMethodDevice':
      return {
        op: s.op,
        node,
        method: method?.name ?? 'none',
        device: method?.devices[s.c % Math.max(1, method.devices.length)]?.name ?? device,
      };
    case 'addUnfenceDevice':
      return { op: s.op, node, use: { device, params: { action: 'on' } } };
    case 'deleteUnfenceDevice':
      return { op: s.op, node, device };
    default:
      return undefined;
  }
}

/** Edits of fence devices and failover domains. */
function deviceOrDomainEdit(p: Picks, s: EditSeed): ConfigEdit | undefined {
  const { conf, device, domain } = p;
  const memberNode = pick(
    conf.nodes.map((n) => n.name),
    s.b,
    'node-ghost',
  );
  switch (s.op) {
    case 'addFenceDevice':
      return {
        op: s.op,
        name: `fd-n${s.a}`,
        agent: 'fence_apc',
        params: { ipaddr: 'pdu', passwd: s.text },
      };
    case 'updateFenceDevice':
      return { op: s.op, name: device, params: { passwd: s.flag ? s.text : null } };
    case 'deleteFenceDevice':
      return { op: s.op, name: device };
    case 'addFailoverDomain':
      return {
        op: s.op,
        name: `dom-n${s.a}`,
        ordered: s.flag,
        restricted: !s.flag,
        members: conf.nodes.slice(0, s.b % 3).map((n, i) => ({ node: n.name, priority: i + 1 })),
      };
    case 'updateFailoverDomain':
      return { op: s.op, name: domain, ordered: s.flag, nofailback: !s.flag };
    case 'deleteFailoverDomain':
      return { op: s.op, name: domain };
    case 'setDomainMember':
      return {
        op: s.op,
        domain,
        node: memberNode,
        priority: s.c % 5 === 0 ? null : s.c * 2,
      };
    case 'deleteDomainMember':
      return {
        op: s.op,
        domain,
        node: memberNode,
      };
    default:
      return undefined;
  }
}

/** Edits of global resources and services. */
function rmEdit(p: Picks, s: EditSeed): ConfigEdit | undefined {
  const { domain, service, global, globalPrimary, kind, serial, paths } = p;
  switch (s.op) {
    case 'addResource':
      return { op: s.op, type: kind, params: inlineParams(kind, serial) };
    case 'updateResource':
      return {
        op: s.op,
        type: global?.type ?? kind,
        primary: globalPrimary,
        params: { 'x-note': s.text },
      };
    case 'deleteResource':
      return { op: s.op, type: global?.type ?? kind, primary: globalPrimary };
    case 'addService':
      return {
        op: s.op,
        name: `svc-n${s.a}`,
        attrs: s.flag && domain ? { domain, autostart: '0' } : { autostart: '1' },
      };
    case 'updateService':
      return {
        op: s.op,
        name: service,
        attrs: { autostart: s.flag ? '1' : '0', ...(s.c % 3 === 0 ? { domain: null } : {}) },
      };
    case 'deleteService':
      return { op: s.op, name: service };
    case 'addServiceResource':
      return {
        op: s.op,
        service,
        parent: s.c % 3 === 0 ? [] : (paths[s.b % Math.max(1, paths.length)] ?? []),
        resource:
          s.flag && global
            ? { type: global.type, ref: globalPrimary }
            : { type: kind, params: inlineParams(kind, serial + 100_000) },
      };
    case 'deleteServiceResource':
      return { op: s.op, service, at: paths[s.b % Math.max(1, paths.length)] ?? [0] };
    default:
      return undefined;
  }
}

/** The edit a seed stands for, given the configuration it will be applied to. */
export function editFromSeed(conf: ClusterConf, s: EditSeed): ConfigEdit {
  const p = picksFor(conf, s);
  return (
    nodeEdit(p, s) ??
    deviceOrDomainEdit(p, s) ??
    rmEdit(p, s) ?? { op: 'setClusterProperties', changes: clusterChanges(s) }
  );
}

function clusterChanges(
  s: EditSeed,
): Extract<ConfigEdit, { op: 'setClusterProperties' }>['changes'] {
  switch (s.c % 5) {
    case 0:
      return { alias: s.flag ? `${s.text}x` : null };
    case 1:
      return s.b % 4 === 0
        ? { cman: { twoNode: s.flag, expectedVotes: s.flag ? 1 : s.b + 1 } }
        : { cman: { transport: s.flag ? 'udpu' : 'udp', port: 5400 + s.b } };
    case 2:
      return { totem: { tokenMs: s.flag ? 1000 * (s.b + 1) : null } };
    case 3:
      return { fenceDaemon: { postJoinDelayS: s.b, postFailDelayS: s.flag ? 0 : null } };
    default:
      return { rm: { status_poll_interval: String(s.b + 1) } };
  }
}
