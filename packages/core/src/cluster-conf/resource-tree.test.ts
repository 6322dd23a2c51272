import { describe, expect, test } from 'vitest';
import {
  corpusConfigs,
  corpusFile,
  corpusPresent,
  corpusSkipReason,
} from '../../testing/corpus.js';
import { catalogWith } from '../agent-metadata/catalog.js';
import { parseAgentMetadata } from '../agent-metadata/parse.js';
import { parseClusterConf } from './read.js';
import { buildResourceTrees, type ResourceNode } from './resource-tree.js';

function build(rm: string, catalog?: Parameters<typeof buildResourceTrees>[1]) {
  return buildResourceTrees(
    parseClusterConf(`<cluster name="c" config_version="1"><rm>${rm}</rm></cluster>`),
    catalog,
  );
}

/** `type:primary` of each node, depth first, indented by depth. */
function outline(node: ResourceNode, depth = 0): string[] {
  return [
    `${'  '.repeat(depth)}${node.type}:${node.primaryValue}`,
    ...node.children.flatMap((c) => outline(c, depth + 1)),
  ];
}

describe('buildResourceTrees', () => {
  test('resolves refs, keeps the referencing element’s internals, fills inherited attributes', () => {
    const { trees, problems } = build(`
      <resources>
        <fs name="data" mountpoint="/srv" device="/dev/sdb1" fstype="ext4"/>
        <nfsexport name="exp"/>
        <nfsclient name="all" target="*" options="ro"/>
      </resources>
      <service name="nfs" nfslock="1">
        <fs ref="data" __independent_subtree="1">
          <nfsexport ref="exp"><nfsclient ref="all"/></nfsexport>
        </fs>
        <ip address="10.0.0.5/24"/>
      </service>`);
    expect(problems).toEqual([]);
    const fs = trees[0]!.children[0]!;
    expect(fs.attributes).toEqual({
      name: 'data',
      mountpoint: '/srv',
      device: '/dev/sdb1',
      fstype: 'ext4',
      __independent_subtree: '1',
      nfslock: '1',
    });
    expect(fs.inherited).toEqual(['nfslock']);
    expect(fs.path).toBe('/cluster/rm/service[1]/fs[1]');
    expect(fs.resourcePath).toBe('/cluster/rm/resources/fs[1]');
    expect(fs.inline).toBe(false);
    const exp = fs.children[0]!;
    expect(exp.attributes).toMatchObject({ device: '/dev/sdb1', path: '/srv' });
    expect(exp.children[0]!.attributes.path).toBe('/srv');
    const ip = trees[0]!.children[1]!;
    expect(ip).toMatchObject({ inline: true, primaryValue: '10.0.0.5/24' });
    expect(ip.attributes.nfslock).toBe('1');
  });

  test('an attribute written on the node itself wins over inheritance', () => {
    const { trees } = build(`<service name="s">
        <fs name="f" mountpoint="/m" device="/dev/x"><nfsexport name="e" path="/m/sub"/></fs>
      </service>`);
    const exp = trees[0]!.children[0]!.children[0]!;
    expect(exp.attributes).toMatchObject({ path: '/m/sub', device: '/dev/x' });
    expect(exp.inherited).toEqual(['device']);
  });

  test('a service orders typed children by start level, untyped after them in document order', () => {
    const catalog = catalogWith([
      parseAgentMetadata(
        '<resource-agent name="apache"><parameters><parameter name="name" primary="1"><content type="string"/></parameter></parameters></resource-agent>',
      ),
    ]);
    const { trees } = build(
      `<service name="s">
        <apache name="web1"/>
        <script name="sc" file="/etc/init.d/sc"/>
        <ip address="10.0.0.1"/>
        <apache name="web2"/>
        <fs name="f" mountpoint="/m" device="/dev/x"/>
        <lvm name="v" vg_name="vg"/>
      </service>`,
      catalog,
    );
    expect(outline(trees[0]!)).toEqual([
      'service:s',
      '  lvm:v',
      '  fs:f',
      '  ip:10.0.0.1',
      '  script:sc',
      '  apache:web1',
      '  apache:web2',
    ]);
  });

  test('a parent without child types keeps document order', () => {
    const { trees } = build(`<service name="s"><script name="a" file="/a">
        <script name="b" file="/b"/><ip address="10.0.0.1"/><fs name="f" mountpoint="/m" device="/d"/>
      </script></service>`);
    expect(outline(trees[0]!.children[0]!)).toEqual([
      'script:a',
      '  script:b',
      '  ip:10.0.0.1',
      '  fs:f',
    ]);
  });

  test('a reference beyond maxinstances is dropped with rgmanager’s warning', () => {
    const { trees, problems, resources } = build(`
      <resources><ip address="10.0.0.1"/></resources>
      <service name="a"><ip ref="10.0.0.1"/></service>
      <service name="b"><ip ref="10.0.0.1"/><script name="x" file="/x"/></service>`);
    expect(problems).toEqual([
      {
        severity: 'warning',
        path: '/cluster/rm/service[2]/ip[1]',
        rule: 'max-instances-exceeded',
        message: 'Max references exceeded for resource address (type ip)',
      },
    ]);
    expect(outline(trees[1]!)).toEqual(['service:b', '  script:x']);
    expect(resources.find((r) => r.type === 'ip')!.references).toBe(1);
  });

  test('a multi-instance resource is used once per reference', () => {
    const { trees, problems, resources } = build(`
      <resources><clusterfs name="g" mountpoint="/g" device="/dev/g"/></resources>
      <service name="a"><clusterfs ref="g"/></service>
      <service name="b"><clusterfs ref="g"/></service>`);
    expect(problems).toEqual([]);
    expect(trees.map((t) => outline(t))).toEqual([
      ['service:a', '  clusterfs:g'],
      ['service:b', '  clusterfs:g'],
    ]);
    expect(resources[0]!.references).toBe(2);
  });

  test('refs to missing and to inline resources are errors naming the ref', () => {
    const { trees, problems } = build(`
      <service name="a"><script name="inl" file="/i"/></service>
      <service name="b"><script ref="inl"/><script ref="nope"/></service>`);
    expect(problems.map((p) => [p.severity, p.path, p.rule, p.message])).toEqual([
      [
        'error',
        '/cluster/rm/service[2]/script[1]/@ref',
        'ref-to-inline-resource',
        'Reference to inlined resource inl (type script) is illegal',
      ],
      [
        'error',
        '/cluster/rm/service[2]/script[2]/@ref',
        'unknown-resource-ref',
        'Reference to nonexistent resource nope (type script)',
      ],
    ]);
    expect(outline(trees[1]!)).toEqual(['service:b']);
  });

  test('a service may be referenced from <rm>', () => {
    const { trees, resources } = build(`<resources><service name="s" domain="d"/></resources>
      <service ref="s" autostart="0"><script name="x" file="/x"/></service>`);
    expect(trees[0]!.attributes).toEqual({ name: 's', domain: 'd', autostart: '0' });
    expect(outline(trees[0]!)).toEqual(['service:s', '  script:x']);
    expect(resources.map((r) => [r.type, r.inline, r.references])).toEqual([
      ['service', false, 1],
      ['script', true, 1],
    ]);
  });

  test('structural mistakes are reported and the offending element is left out', () => {
    const { trees, problems } = build(`
      <resources>
        <script name="s" file="/s"/>
        <script name="s" file="/t"/>
        <script file="/u"/>
        <fs name="f" mountpoint="/m" device="/d"><ip address="10.0.0.9"/></fs>
      </resources>
      <ip address="10.0.0.1"/>
      <mystery name="m"/>
      <service name="a">
        <ip address="10.0.0.2"><nfsclient name="c" target="*"/></ip>
        <service name="inner"/>
        <script name="s" file="/dup"/>
        <script ref="s" file="/other"/>
      </service>`);
    expect(problems.map((p) => `${p.severity} ${p.rule} ${p.path}`)).toEqual([
      'error duplicate-resource /cluster/rm/resources/script[2]',
      'error missing-attribute /cluster/rm/resources/script[3]',
      'warning ignored-children /cluster/rm/resources/fs[1]',
      'error not-a-root-type /cluster/rm/ip[1]',
      'warning unknown-resource-type /cluster/rm/mystery[1]',
      'error not-a-root-type /cluster/rm/service[1]/service[1]',
      // Children are built in start order: the ip (level 7) before the scripts (level 9).
      'error forbidden-child /cluster/rm/service[1]/ip[1]/nfsclient[1]',
      'error duplicate-resource /cluster/rm/service[1]/script[1]',
      'warning reference-overrides-attribute /cluster/rm/service[1]/script[2]/@file',
    ]);
    expect(outline(trees[0]!)).toEqual(['service:a', '  ip:10.0.0.2', '  script:s']);
    expect(trees[0]!.children[1]!.attributes.file).toBe('/other');
  });

  test('actions of the resource and of the reference are both kept', () => {
    const { trees } = build(`<resources><script name="s" file="/s">
        <action name="status" interval="10s"/></script></resources>
      <service name="a"><script ref="s"><action name="stop" timeout="5s"/></script></service>`);
    expect(trees[0]!.children[0]!.actions.map((a) => a.name)).toEqual(['status', 'stop']);
  });

  test('installed OCF agents take part through <ocf agent="PROVIDER:TYPE">', () => {
    const ipaddr2 = parseAgentMetadata(
      '<resource-agent name="IPaddr2"><parameters><parameter name="ip" primary="1" unique="1"><content type="string"/></parameter></parameters><special tag="rgmanager"><attributes maxinstances="1"/></special></resource-agent>',
      { type: 'ocf:heartbeat:IPaddr2' },
    );
    const { trees, problems } = build(
      '<service name="a"><ocf agent="heartbeat:IPaddr2" ip="10.0.0.7" cidr_netmask="24"/></service>',
      catalogWith([ipaddr2]),
    );
    expect(problems).toEqual([]);
    expect(trees[0]!.children[0]).toMatchObject({
      type: 'ocf:heartbeat:IPaddr2',
      primaryValue: '10.0.0.7',
      attributes: { ip: '10.0.0.7', cidr_netmask: '24' },
    });
  });

  test('a configuration without <rm> has no trees', () => {
    expect(buildResourceTrees(parseClusterConf('<cluster name="c"/>'))).toEqual({
      trees: [],
      resources: [],
      problems: [],
    });
  });
});

describe.skipIf(!corpusPresent)(
  `corpus trees${corpusPresent ? '' : ` (${corpusSkipReason})`}`,
  () => {
    test('test018: the clusterfs referenced by both services appears once in each', () => {
      const conf = parseClusterConf(corpusFile('rgmanager-tests/test018.conf'));
      const { trees, problems } = buildResourceTrees(conf);
      expect(problems).toEqual([]);
      for (const tree of trees) {
        const all = outline(tree).map((l) => l.trim());
        expect(all.filter((l) => l === 'clusterfs:argle')).toHaveLength(1);
      }
    });

    test('every corpus file builds without throwing; only the old schema has unknown types', () => {
      for (const file of corpusConfigs()) {
        const { trees, problems } = buildResourceTrees(parseClusterConf(corpusFile(file)));
        const unknown = problems.filter((p) => p.rule === 'unknown-resource-type');
        if (file === 'rgmanager-tests/cluster.conf') {
          // The pre-cluster3 schema's <group> elements have no agent.
          expect(unknown.length, file).toBeGreaterThan(0);
          expect(trees, file).toEqual([]);
        } else {
          expect(unknown, file).toEqual([]);
        }
      }
    });

    test('test011: the nfsclient path comes through the nfsexport from the fs', () => {
      const conf = parseClusterConf(corpusFile('rgmanager-tests/test011.conf'));
      const exp = buildResourceTrees(conf).trees[0]!.children[0]!.children[0]!;
      expect(exp.inherited).toEqual(['device', 'path']);
      expect(exp.children.map((c) => [c.primaryValue, c.attributes.path])).toEqual([
        ['Admin group', '/mnt/cluster'],
        ['User group', '/mnt/cluster'],
      ]);
    });
  },
);
