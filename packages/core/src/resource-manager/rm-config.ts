// The parts of cluster.conf that placement reads, compiled once per committed configuration so a
// full re-evaluation of every service stays cheap (32 nodes × 1,000 services in a few ms).
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import { readDependencies } from '../cluster-conf/dependencies.js';
import type { ClusterConf, FailoverDomainConf, ResourceConf } from '../cluster-conf/model.js';
import { isTrue, parseInteger } from '../cluster-conf/read.js';

export interface DomainPolicy {
  readonly name: string;
  readonly ordered: boolean;
  readonly restricted: boolean;
  readonly nofailback: boolean;
  /**
   * Member name → priority; lower runs first. Only ordered domains use it. A priority outside
   * 1..100 (or none) is rgmanager's "unprioritized"; we rank it after every prioritized member
   * (as 101), where rgmanager's order depended on list position.
   */
  readonly priorities: ReadonlyMap<string, number>;
  /** The same by the node's index in `<clusternodes>` (undefined: not a member). */
  readonly priorityByRank: readonly (number | undefined)[];
}

export type RecoveryPolicy = 'restart' | 'relocate' | 'disable' | 'restart-disable';

export interface ServicePolicy {
  /** `TYPE:NAME`. */
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly path: string;
  /** The failover domain by name; undefined for none or an unknown name (rgmanager: any node). */
  readonly domain: DomainPolicy | undefined;
  readonly autostart: boolean;
  readonly exclusive: boolean;
  /** `depend="service:x"`: the service that must be started first. */
  readonly depend: string | undefined;
  /** hard: stop with the dependency; soft: only needed to start. */
  readonly dependMode: 'hard' | 'soft';
  readonly recovery: RecoveryPolicy;
  readonly maxRestarts: number;
  readonly restartExpireMs: number;
  /** The agent has a `migrate` action (vm): relocations move it live. */
  readonly migratory: boolean;
  /** Legacy `<dependencies>`: services that must be started (require) before this one starts. */
  readonly requires: readonly string[];
  /** … of which these stop this service when they stop (require="always", or depend hard). */
  readonly requiresAlways: readonly string[];
  /** Must run on the same node as these. */
  readonly colocateWith: readonly string[];
  /** Must never share a node with these (symmetric). */
  readonly separateFrom: readonly string[];
}

export interface RmConfig {
  /** `<clusternodes>` order: the final tie-break. */
  readonly nodes: readonly string[];
  readonly nodeRank: ReadonlyMap<string, number>;
  /** Document order. */
  readonly services: readonly ServicePolicy[];
  readonly byId: ReadonlyMap<string, ServicePolicy>;
  readonly conf: ClusterConf;
}

const unprioritized = 101;

function domainPolicy(d: FailoverDomainConf, nodes: readonly string[]): DomainPolicy {
  const priorities = new Map<string, number>();
  for (const n of d.nodes) {
    const p = n.priority;
    priorities.set(n.name, p !== undefined && p >= 1 && p <= 100 ? p : unprioritized);
  }
  return {
    name: d.name,
    ordered: d.ordered,
    restricted: d.restricted,
    nofailback: d.nofailback,
    priorities,
    priorityByRank: nodes.map((n) => priorities.get(n)),
  };
}

function recoveryPolicy(text: string | undefined): RecoveryPolicy {
  const known: readonly string[] = ['restart', 'relocate', 'disable', 'restart-disable'];
  return text !== undefined && known.includes(text) ? (text as RecoveryPolicy) : 'restart';
}

/** A service root's attributes, a `<service ref="x">` reading the global `<service name="x">`. */
function rootParams(root: ResourceConf, globals: readonly ResourceConf[]) {
  if (root.ref === undefined) return root.params;
  const target = globals.find((g) => g.type === root.type && g.params.name === root.ref);
  return { ...target?.params, name: root.ref, ...root.params };
}

interface Links {
  requires: string[];
  requiresAlways: string[];
  colocateWith: string[];
  separateFrom: string[];
}

function legacyLinks(conf: ClusterConf): Map<string, Links> {
  const links = new Map<string, Links>();
  const of = (id: string) => {
    let l = links.get(id);
    if (!l) {
      l = { requires: [], requiresAlways: [], colocateWith: [], separateFrom: [] };
      links.set(id, l);
    }
    return l;
  };
  for (const rule of readDependencies(conf).rules) {
    const id = `${rule.resource.type}:${rule.resource.name}`;
    for (const t of rule.targets) {
      const target = `${t.resource.type}:${t.resource.name}`;
      if (t.require !== undefined) of(id).requires.push(target);
      if (t.require === 'always') of(id).requiresAlways.push(target);
      if (t.colocate === 'always') of(id).colocateWith.push(target);
      if (t.colocate === 'never') {
        of(id).separateFrom.push(target);
        of(target).separateFrom.push(id);
      }
    }
  }
  return links;
}

function durationMs(text: string | undefined): number {
  const seconds = parseInteger(text);
  return seconds !== undefined && seconds > 0 ? seconds * 1000 : 0;
}

/** Compiles what placement needs from a (runnable) configuration. */
export function readRmConfig(
  conf: ClusterConf,
  catalog: AgentCatalog = builtinAgentCatalog,
): RmConfig {
  const nodes = conf.nodes.map((n) => n.name);
  const domains = new Map(
    (conf.rm?.failoverDomains ?? []).map((d) => [d.name, domainPolicy(d, nodes)]),
  );
  const globals = conf.rm?.resources ?? [];
  const links = legacyLinks(conf);
  const services: ServicePolicy[] = [];
  for (const root of conf.rm?.services ?? []) {
    const p = rootParams(root, globals);
    if (p.name === undefined) continue;
    const id = `${root.type}:${p.name}`;
    const legacy = links.get(id);
    const depend = p.depend !== undefined && p.depend !== '' ? p.depend : undefined;
    const dependMode = p.depend_mode === 'soft' ? 'soft' : 'hard';
    const requires = [...(depend ? [depend] : []), ...(legacy?.requires ?? [])];
    const requiresAlways = [
      ...(depend && dependMode === 'hard' ? [depend] : []),
      ...(legacy?.requiresAlways ?? []),
    ];
    services.push({
      id,
      type: root.type,
      name: p.name,
      path: root.path,
      domain: p.domain === undefined ? undefined : domains.get(p.domain),
      autostart: p.autostart === undefined || isTrue(p.autostart),
      exclusive: isTrue(p.exclusive),
      depend,
      dependMode,
      recovery: recoveryPolicy(p.recovery),
      maxRestarts: Math.max(0, parseInteger(p.max_restarts) ?? 0),
      restartExpireMs: durationMs(p.restart_expire_time),
      migratory: catalog.get(root.type)?.actions.some((a) => a.name === 'migrate') ?? false,
      requires,
      requiresAlways,
      colocateWith: legacy?.colocateWith ?? [],
      separateFrom: legacy?.separateFrom ?? [],
    });
  }
  return {
    nodes,
    nodeRank: new Map(nodes.map((n, i) => [n, i])),
    services,
    byId: new Map(services.map((s) => [s.id, s])),
    conf,
  };
}
