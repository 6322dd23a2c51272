import { withAttr, type XmlElement, type XmlNode } from '../xml/xml-tree.js';
import { redactedSecret } from './config-redact.js';
import { EditError } from './edit-model.js';
import { isSecretParameter } from './fence-agent-catalog.js';
import type { ClusterConf, Located } from './model.js';
import { readClusterConf } from './read.js';

/**
 * Pure helpers for the console's configuration history, raw file upload and rollback: what a
 * version changed in a few words, whether it changes the voting set (and so goes through joint
 * consensus), the file renumbered as a new version, and an uploaded file's redacted secrets
 * taken back from the committed file.
 */

/** The same file as config_version `version` (a rollback or an upload commits it as a new one). */
export function withConfigVersion(conf: ClusterConf, version: number): ClusterConf {
  const root = withAttr(conf.doc.root, 'config_version', String(version));
  return readClusterConf({ ...conf.doc, root });
}

/** A change of the voting set: who votes, with how many votes, and the quorum settings. */
export interface VotingChange {
  readonly addedNodes: readonly string[];
  readonly removedNodes: readonly string[];
  readonly changedVotes: readonly { node: string; from: number; to: number }[];
  readonly expectedVotes: { from: number | null; to: number | null } | null;
  readonly twoNode: { from: boolean; to: boolean } | null;
}

/**
 * What `after` changes in the voting set of `before` (nodes, votes, expected_votes, two_node),
 * or null when the two decide alike. The agents commit such a change through joint consensus:
 * until it is committed, decisions need a quorum of the old and of the new configuration.
 */
export function votingChange(before: ClusterConf, after: ClusterConf): VotingChange | null {
  const oldVotes = new Map(before.nodes.map((n) => [n.name, n.votes]));
  const newVotes = new Map(after.nodes.map((n) => [n.name, n.votes]));
  const addedNodes = [...newVotes.keys()].filter((n) => !oldVotes.has(n));
  const removedNodes = [...oldVotes.keys()].filter((n) => !newVotes.has(n));
  const changedVotes = [...newVotes]
    .filter(([n, v]) => oldVotes.has(n) && oldVotes.get(n) !== v)
    .map(([node, to]) => ({ node, from: oldVotes.get(node)!, to }));
  const ev = (c: ClusterConf) => c.cman?.expectedVotes ?? null;
  const expectedVotes = ev(before) === ev(after) ? null : { from: ev(before), to: ev(after) };
  const tn = (c: ClusterConf) => c.cman?.twoNode ?? false;
  const twoNode = tn(before) === tn(after) ? null : { from: tn(before), to: tn(after) };
  const changed =
    addedNodes.length + removedNodes.length + changedVotes.length > 0 || expectedVotes || twoNode;
  return changed ? { addedNodes, removedNodes, changedVotes, expectedVotes, twoNode } : null;
}

/** The voting change in words ("adds node4; expected_votes 3 → 4"). */
export function describeVotingChange(change: VotingChange): string {
  const parts: string[] = [];
  if (change.addedNodes.length > 0) parts.push(`adds ${change.addedNodes.join(', ')}`);
  if (change.removedNodes.length > 0) parts.push(`removes ${change.removedNodes.join(', ')}`);
  for (const v of change.changedVotes) parts.push(`votes of ${v.node} ${v.from} → ${v.to}`);
  const shown = (n: number | null) => (n === null ? 'unset' : String(n));
  if (change.expectedVotes) {
    parts.push(
      `expected_votes ${shown(change.expectedVotes.from)} → ${shown(change.expectedVotes.to)}`,
    );
  }
  if (change.twoNode) parts.push(`two_node ${change.twoNode.to ? 'set' : 'unset'}`);
  return parts.join('; ');
}

type Attrs = Readonly<Record<string, string>>;

function attrChanges(what: string, before: Attrs, after: Attrs, skip: readonly string[] = []) {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (skip.includes(name) || before[name] === after[name]) continue;
    const secret = isSecretParameter(name);
    const from = before[name] === undefined ? 'unset' : secret ? 'old secret' : before[name];
    const to = after[name] === undefined ? 'unset' : secret ? 'new secret' : after[name];
    out.push(`${what} ${name} ${from} → ${to}`);
  }
  return out;
}

const sectionAttrs = (s: Located | undefined): Attrs => s?.attrs ?? {};

function namedChanges<T>(
  what: string,
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  same: (a: T, b: T) => boolean,
): string[] {
  const old = new Map(before.map((i) => [key(i), i]));
  const now = new Map(after.map((i) => [key(i), i]));
  const out: string[] = [];
  for (const [k, item] of now) {
    const was = old.get(k);
    if (was === undefined) out.push(`${what} ${k} added`);
    else if (!same(was, item)) out.push(`${what} ${k} changed`);
  }
  for (const k of old.keys()) if (!now.has(k)) out.push(`${what} ${k} removed`);
  return out;
}

function sameElement(a: Located, b: Located): boolean {
  return JSON.stringify(a.el) === JSON.stringify(b.el);
}

/**
 * What a version changed against the one before, in a few words for the history list
 * ("totem token 1000 → 1500; service webservice added"); secrets are never shown.
 */
export function configChangeSummary(before: ClusterConf | null, after: ClusterConf): string {
  if (before === null) return 'first version the console saw';
  const parts = [
    ...attrChanges('cluster', before.attrs, after.attrs, ['config_version']),
    ...attrChanges('cman', sectionAttrs(before.cman), sectionAttrs(after.cman)),
    ...attrChanges('totem', sectionAttrs(before.totem), sectionAttrs(after.totem)),
    ...attrChanges(
      'fence_daemon',
      sectionAttrs(before.fenceDaemon),
      sectionAttrs(after.fenceDaemon),
    ),
    ...attrChanges('rm', sectionAttrs(before.rm), sectionAttrs(after.rm)),
    ...namedChanges('node', before.nodes, after.nodes, (n) => n.name, sameElement),
    ...namedChanges(
      'fence device',
      before.fenceDevices,
      after.fenceDevices,
      (d) => d.name,
      sameElement,
    ),
    ...namedChanges(
      'failover domain',
      before.rm?.failoverDomains ?? [],
      after.rm?.failoverDomains ?? [],
      (d) => d.name,
      sameElement,
    ),
    ...namedChanges(
      'resource',
      before.rm?.resources ?? [],
      after.rm?.resources ?? [],
      (r) => `${r.type} ${Object.values(r.params)[0] ?? ''}`.trim(),
      sameElement,
    ),
    ...namedChanges(
      'service',
      before.rm?.services ?? [],
      after.rm?.services ?? [],
      (s) => s.params.name ?? s.type,
      sameElement,
    ),
  ];
  if (parts.length === 0) return 'no change but config_version';
  const text = parts.join('; ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

const fenceElements = new Set(['fencedevice', 'device']);

/** Each fence element's identity: the device's name, or the node, method and place of a use. */
function fenceKeys(root: XmlElement): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  const walk = (el: XmlElement, trail: string) => {
    const counts = new Map<string, number>();
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      const name = c.attrs.find((a) => a.name === 'name')?.value ?? '';
      const seen = (counts.get(`${c.name}/${name}`) ?? 0) + 1;
      counts.set(`${c.name}/${name}`, seen);
      const key = `${trail}/${c.name}[${name}#${seen}]`;
      if (fenceElements.has(c.name)) out.set(key, c);
      walk(c, key);
    }
  };
  walk(root, '');
  return out;
}

/**
 * An uploaded file may be one the console gave out with its secrets redacted (`********`): each
 * such secret is taken from the same fence device (or the same device use of the same node and
 * method) of the committed file. A redacted secret with nothing to take it from is refused,
 * naming the attribute, so no `********` ever reaches a fence agent.
 */
export function restoreRedactedSecrets(uploaded: ClusterConf, committed: ClusterConf): ClusterConf {
  const known = fenceKeys(committed.doc.root);
  const restore = (el: XmlElement, trail: string, path: string): XmlElement => {
    const counts = new Map<string, number>();
    const children: XmlNode[] = el.children.map((c) => {
      if (c.type !== 'element') return c;
      const name = c.attrs.find((a) => a.name === 'name')?.value ?? '';
      const seen = (counts.get(`${c.name}/${name}`) ?? 0) + 1;
      counts.set(`${c.name}/${name}`, seen);
      const key = `${trail}/${c.name}[${name}#${seen}]`;
      const childPath = `${path}/${c.name}[${name ? `@name="${name}"` : seen}]`;
      const restored = restore(c, key, childPath);
      if (!fenceElements.has(c.name)) return restored;
      const attrs = restored.attrs.map((a) => {
        if (a.value !== redactedSecret || !isSecretParameter(a.name)) return a;
        const value = known.get(key)?.attrs.find((k) => k.name === a.name)?.value;
        if (value === undefined) {
          throw new EditError(
            `${childPath}/@${a.name}`,
            `${a.name} is redacted (${redactedSecret}) and the committed file has no secret for ` +
              'it here: type the real value',
          );
        }
        return { name: a.name, value };
      });
      return { ...restored, attrs };
    });
    return { ...el, children };
  };
  const root = restore(uploaded.doc.root, '', '/cluster');
  return readClusterConf({ ...uploaded.doc, root });
}
