import { describe, expect, test } from 'vitest';
import { catalogWith } from '../agent-metadata/catalog.js';
import { parseAgentMetadata } from '../agent-metadata/parse.js';
import { parseClusterConf } from './read.js';
import { startOrder, stopOrder } from './resource-order.js';
import { buildResourceTrees, type ResourceNode } from './resource-tree.js';

const apache = parseAgentMetadata(
  '<resource-agent name="apache"><parameters><parameter name="name" primary="1"><content type="string"/></parameter></parameters></resource-agent>',
);

function tree(service: string): ResourceNode {
  const conf = parseClusterConf(`<cluster><rm>${service}</rm></cluster>`);
  const { trees, problems } = buildResourceTrees(conf, catalogWith([apache]));
  expect(problems).toEqual([]);
  return trees[0]!;
}

const names = (nodes: readonly ResourceNode[]) => nodes.map((n) => `${n.type}:${n.primaryValue}`);

describe('start and stop order', () => {
  const svc = tree(`<service name="s">
      <apache name="web"/>
      <script name="sc" file="/sc"/>
      <smb name="files"/>
      <ip address="10.0.0.1"/>
      <fs name="f" mountpoint="/m" device="/d">
        <nfsexport name="e"><nfsclient name="c1" target="a"/><nfsclient name="c2" target="b"/></nfsexport>
        <fs name="inner" mountpoint="/m/i" device="/d2"/>
      </fs>
      <apache name="web2"/>
    </service>`);

  test('start: parent first, typed levels, then untyped in document order', () => {
    expect(names(startOrder(svc))).toEqual([
      'service:s',
      'fs:f',
      'fs:inner',
      'nfsexport:e',
      'nfsclient:c1',
      'nfsclient:c2',
      'ip:10.0.0.1',
      'smb:files',
      'script:sc',
      'apache:web',
      'apache:web2',
    ]);
  });

  // Not the reverse of the start order: ip stops at level 2, before smb at level 3, and an
  // fs stops its exports (level 1) before nested file systems (level 3).
  test('stop: untyped in reverse first, then typed by stop level, parent last', () => {
    expect(names(stopOrder(svc))).toEqual([
      'apache:web2',
      'apache:web',
      'script:sc',
      'ip:10.0.0.1',
      'smb:files',
      'nfsclient:c2',
      'nfsclient:c1',
      'nfsexport:e',
      'fs:inner',
      'fs:f',
      'service:s',
    ]);
  });

  test('children of a parent without child types run in document order, reversed on stop', () => {
    const sc = tree(`<service name="s"><script name="a" file="/a">
        <ip address="10.0.0.1"/><script name="b" file="/b"/><fs name="f" mountpoint="/m" device="/d"/>
      </script></service>`);
    expect(names(startOrder(sc))).toEqual([
      'service:s',
      'script:a',
      'ip:10.0.0.1',
      'script:b',
      'fs:f',
    ]);
    expect(names(stopOrder(sc))).toEqual([
      'fs:f',
      'script:b',
      'ip:10.0.0.1',
      'script:a',
      'service:s',
    ]);
  });

  test('a leaf is its own order', () => {
    const leaf = tree('<service name="alone"/>');
    expect(names(startOrder(leaf))).toEqual(['service:alone']);
    expect(names(stopOrder(leaf))).toEqual(['service:alone']);
  });
});
