import type { XmlElement } from '../xml/xml-tree.js';
import { element, withAttr, withoutAttr } from '../xml/xml-tree.js';
import type { DomainMember, EditOf } from './edit-model.js';
import { EditError } from './edit-model.js';
import type { EditStep } from './edit-support.js';
import { findNode, requireIdentifier, requireInteger, step } from './edit-support.js';
import {
  clusterSectionOrder,
  elementNames,
  ensureSection,
  insertChild,
  newElement,
  rmSectionOrder,
  updateAt,
  updateElement,
} from './edit-tree.js';
import type { ClusterConf, FailoverDomainConf } from './model.js';

/** The root with `<rm>` and the named section inside it, each created in its usual place. */
export function withRmSection(conf: ClusterConf, section: string): XmlElement {
  const root = ensureSection(conf.doc.root, 'rm', clusterSectionOrder);
  const preceding = rmSectionOrder.slice(
    0,
    Math.max(0, rmSectionOrder.indexOf(section as 'resources')),
  );
  // After the sections that lead it, else first: before the services and everything else.
  return updateAt(root, '/cluster/rm', (rm) =>
    elementNames(rm).includes(section)
      ? rm
      : insertChild(rm, element(section), preceding, elementNames(rm)),
  );
}

function findDomain(conf: ClusterConf, name: string): FailoverDomainConf {
  const domain = conf.rm?.failoverDomains.find((d) => d.name === name);
  if (!domain) {
    throw new EditError('/cluster/rm/failoverdomains', `failover domain "${name}" does not exist`);
  }
  return domain;
}

const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? '1' : '0');

function memberElement(conf: ClusterConf, member: DomainMember, path: string): XmlElement {
  findNode(conf, member.node);
  const priority =
    member.priority === undefined
      ? undefined
      : requireInteger(member.priority, `${path}/@priority`, 'priority', 1, 100);
  return newElement('failoverdomainnode', [
    ['name', member.node],
    ['priority', priority],
  ]);
}

export function addFailoverDomain(conf: ClusterConf, edit: EditOf<'addFailoverDomain'>): EditStep {
  const count = conf.rm?.failoverDomains.length ?? 0;
  const path = `/cluster/rm/failoverdomains/failoverdomain[${count + 1}]`;
  requireIdentifier(edit.name, `${path}/@name`, 'the failover domain name');
  if (conf.rm?.failoverDomains.some((d) => d.name === edit.name)) {
    throw new EditError(`${path}/@name`, `failover domain "${edit.name}" already exists`);
  }
  const members = edit.members ?? [];
  const seen = new Set<string>();
  const nodes = members.map((m, i) => {
    if (seen.has(m.node)) {
      throw new EditError(
        `${path}/failoverdomainnode[${i + 1}]`,
        `node "${m.node}" is listed twice`,
      );
    }
    seen.add(m.node);
    return memberElement(conf, m, `${path}/failoverdomainnode[${i + 1}]`);
  });
  const domain = newElement(
    'failoverdomain',
    [
      ['name', edit.name],
      ['ordered', flag(edit.ordered)],
      ['restricted', flag(edit.restricted)],
      ['nofailback', flag(edit.nofailback)],
    ],
    {},
    nodes,
  );
  const root = withRmSection(conf, 'failoverdomains');
  return step(
    updateAt(root, '/cluster/rm/failoverdomains', (el) =>
      insertChild(el, domain, ['failoverdomain']),
    ),
  );
}

export function updateFailoverDomain(
  conf: ClusterConf,
  edit: EditOf<'updateFailoverDomain'>,
): EditStep {
  const domain = findDomain(conf, edit.name);
  const changes = {
    ordered: flag(edit.ordered),
    restricted: flag(edit.restricted),
    nofailback: flag(edit.nofailback),
  };
  return step(
    updateElement(conf.doc.root, domain, (el) => {
      let out = el;
      for (const [k, v] of Object.entries(changes)) if (v !== undefined) out = withAttr(out, k, v);
      return out;
    }),
  );
}

export function deleteFailoverDomain(
  conf: ClusterConf,
  edit: EditOf<'deleteFailoverDomain'>,
): EditStep {
  const domain = findDomain(conf, edit.name);
  const users = (conf.rm?.services ?? []).filter((s) => s.params.domain === edit.name);
  if (users.length > 0) {
    const names = users.map((s) => `${s.type} "${s.params.name ?? s.ref ?? ''}"`).join(', ');
    throw new EditError(
      domain.path,
      `failover domain "${edit.name}" is used by ${names}: change their domain first`,
    );
  }
  return step(updateElement(conf.doc.root, domain, () => null));
}

export function setDomainMember(conf: ClusterConf, edit: EditOf<'setDomainMember'>): EditStep {
  const domain = findDomain(conf, edit.domain);
  const existing = domain.nodes.find((m) => m.name === edit.node);
  if (!existing) {
    const path = `${domain.path}/failoverdomainnode[${domain.nodes.length + 1}]`;
    const member = memberElement(
      conf,
      {
        node: edit.node,
        ...(typeof edit.priority === 'number' ? { priority: edit.priority } : {}),
      },
      path,
    );
    return step(
      updateElement(conf.doc.root, domain, (el) => insertChild(el, member, ['failoverdomainnode'])),
    );
  }
  if (edit.priority === undefined) {
    throw new EditError(existing.path, `node "${edit.node}" is already in "${edit.domain}"`);
  }
  if (edit.priority === null) {
    return step(updateElement(conf.doc.root, existing, (el) => withoutAttr(el, 'priority')));
  }
  const priority = requireInteger(edit.priority, `${existing.path}/@priority`, 'priority', 1, 100);
  return step(updateElement(conf.doc.root, existing, (el) => withAttr(el, 'priority', priority)));
}

export function deleteDomainMember(
  conf: ClusterConf,
  edit: EditOf<'deleteDomainMember'>,
): EditStep {
  const domain = findDomain(conf, edit.domain);
  const members = domain.nodes.filter((m) => m.name === edit.node);
  if (members.length === 0) {
    throw new EditError(domain.path, `node "${edit.node}" is not a member of "${edit.domain}"`);
  }
  let root = conf.doc.root;
  for (const m of [...members].reverse()) root = updateElement(root, m, () => null);
  return step(root);
}
