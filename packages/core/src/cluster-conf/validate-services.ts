import { childElements } from '../xml/xml-tree.js';
import type { ClusterConf, FailoverDomainConf, Located, ResourceConf } from './model.js';
import { childPaths } from './read.js';
import { rootName } from './validate-resources.js';
import {
  attrPath,
  checkBoolean,
  checkInteger,
  checkOneOf,
  checkTime,
  type IssueSink,
  missing,
} from './validate-values.js';

const serviceRules = new Set([
  'domain',
  'recovery',
  'depend',
  'depend_mode',
  'autostart',
  'exclusive',
  'max_restarts',
  'restart_expire_time',
]);
const noRules: ReadonlySet<string> = new Set();

/** Attributes of a service or vm whose values the rules here check (not the metadata checks). */
export function serviceRuleAttributes(type: string): ReadonlySet<string> {
  return type === 'service' || type === 'vm' ? serviceRules : noRules;
}

function validateDomain(
  domain: FailoverDomainConf,
  nodeNames: ReadonlySet<string> | undefined,
  sink: IssueSink,
): void {
  for (const flag of ['ordered', 'restricted', 'nofailback']) checkBoolean(sink, domain, flag);
  const members = new Set<string>();
  const prioritized = domain.nodes.find((m) => m.attrs.priority !== undefined);
  if (prioritized && !domain.ordered) {
    sink.warning(
      attrPath(prioritized, 'priority'),
      'priority-ignored',
      `failover domain ${domain.name} is not ordered, so its members' priorities are ignored`,
    );
  }
  for (const member of domain.nodes) {
    checkInteger(sink, member, 'priority', { min: 1, max: 100 });
    if (missing(member, 'name')) {
      sink.error(
        attrPath(member, 'name'),
        'missing-attribute',
        '<failoverdomainnode> needs a name',
      );
      continue;
    }
    if (members.has(member.name)) {
      sink.error(
        attrPath(member, 'name'),
        'duplicate-domain-node',
        `${member.name} is already a member of failover domain ${domain.name}`,
      );
    }
    members.add(member.name);
    if (nodeNames && !nodeNames.has(member.name)) {
      sink.error(
        attrPath(member, 'name'),
        'unknown-domain-node',
        `failover domain ${domain.name} lists ${member.name}, which is not a cluster node`,
      );
    }
  }
  if (domain.restricted && domain.nodes.length === 0) {
    sink.warning(
      domain.path,
      'empty-restricted-domain',
      `failover domain ${domain.name} is restricted but has no members: its services can never run`,
    );
  }
}

function validateDomains(conf: ClusterConf, sink: IssueSink): Set<string> {
  // Without a node list (an <rm> fragment) membership is judged only when the config must run.
  const hasNodeList = conf.nodes.length > 0 || sink.level === 'runnable';
  const nodeNames = hasNodeList ? new Set(conf.nodes.map((n) => n.name)) : undefined;
  const names = new Set<string>();
  for (const domain of conf.rm?.failoverDomains ?? []) {
    if (missing(domain, 'name')) {
      sink.error(attrPath(domain, 'name'), 'missing-attribute', '<failoverdomain> needs a name');
    } else if (names.has(domain.name)) {
      sink.error(
        attrPath(domain, 'name'),
        'duplicate-domain',
        `there is already a failover domain named ${domain.name}`,
      );
    }
    names.add(domain.name);
    validateDomain(domain, nodeNames, sink);
  }
  return names;
}

/** Every service or vm element: the roots under `<rm>` and the globals they may refer to. */
function serviceElements(conf: ClusterConf): ResourceConf[] {
  const isService = (r: ResourceConf) => r.type === 'service' || r.type === 'vm';
  return [...(conf.rm?.resources ?? []), ...(conf.rm?.services ?? [])].filter(isService);
}

function validateServiceAttributes(
  svc: ResourceConf,
  domains: ReadonlySet<string>,
  services: ReadonlySet<string>,
  sink: IssueSink,
): void {
  checkOneOf(sink, svc, 'recovery', ['restart', 'relocate', 'disable', 'restart-disable']);
  checkOneOf(sink, svc, 'depend_mode', ['hard', 'soft']);
  checkBoolean(sink, svc, 'autostart');
  checkBoolean(sink, svc, 'exclusive');
  checkInteger(sink, svc, 'max_restarts', { min: 0 });
  checkTime(sink, svc, 'restart_expire_time');
  const domain = svc.attrs.domain;
  if (domain !== undefined && domain !== '' && !domains.has(domain)) {
    sink.error(
      attrPath(svc, 'domain'),
      'unknown-domain',
      `there is no failover domain named ${domain}`,
    );
  }
  const depend = svc.attrs.depend;
  if (depend === undefined) return;
  if (!/^(service|vm):.+$/.test(depend)) {
    sink.error(
      attrPath(svc, 'depend'),
      'invalid-dependency',
      `depend must name a service as service:NAME (or vm:NAME), not "${depend}"`,
    );
  } else if (!services.has(depend)) {
    sink.error(attrPath(svc, 'depend'), 'unknown-dependency', `there is no ${depend} to depend on`);
  } else if (depend === `${svc.type}:${rootName(svc)}`) {
    sink.error(attrPath(svc, 'depend'), 'self-dependency', `${depend} cannot depend on itself`);
  }
}

/** The legacy `<dependencies>`: every `service:x` named must exist. */
function validateLegacyDependencies(
  conf: ClusterConf,
  services: ReadonlySet<string>,
  sink: IssueSink,
): void {
  const check = (at: Located) => {
    const name = at.attrs.name;
    if (name === undefined) {
      sink.error(attrPath(at, 'name'), 'missing-attribute', `<${at.el.name}> needs a name`);
    } else if (!services.has(name)) {
      sink.error(attrPath(at, 'name'), 'unknown-dependency', `there is no ${name} in <rm>`);
    }
  };
  for (const dep of conf.rm?.dependencies ?? []) {
    check(dep);
    const paths = childPaths(dep.path, dep.el);
    for (const target of childElements(dep.el, 'target')) {
      const attrs = Object.fromEntries(target.attrs.map((a) => [a.name, a.value]));
      check({ path: paths.get(target)!, el: target, attrs });
    }
  }
}

export function validateServices(conf: ClusterConf, sink: IssueSink): void {
  const domains = validateDomains(conf, sink);
  const names = new Map<string, ResourceConf>();
  for (const root of conf.rm?.services ?? []) {
    const name = rootName(root);
    if (name === '') continue;
    const key = `${root.type}:${name}`;
    const first = names.get(key);
    if (first) {
      sink.error(
        attrPath(root, root.ref === undefined ? 'name' : 'ref'),
        'duplicate-service',
        `there is already a ${root.type} named ${name} (${first.path})`,
      );
    } else {
      names.set(key, root);
    }
  }
  const services = new Set(names.keys());
  for (const svc of serviceElements(conf)) {
    validateServiceAttributes(svc, domains, services, sink);
  }
  validateLegacyDependencies(conf, services, sink);
}
