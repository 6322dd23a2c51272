import { describe, expect, test } from 'vitest';
import { refusal } from '../../testing/edit-fixtures.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { applyEdit, applyEditWithNotes, createClusterConf } from './edit.js';
import { EditError } from './edit-model.js';
import { parseClusterConf } from './read.js';

const base = `<?xml version="1.0"?>
<!-- kept by every edit -->
<cluster name="alpha" config_version="7" x-vendor="acme">
  <cman expected_votes="3"/>
  <clusternodes>
    <clusternode name="node1" nodeid="1" votes="1">
      <fence>
        <method name="power"><device name="apc" port="1"/></method>
      </fence>
    </clusternode>
    <!-- node2 is in rack 4 -->
    <clusternode name="node2" nodeid="3" votes="1">
      <fence>
        <method name="power"><device name="apc" port="2"/></method>
      </fence>
      <x-rack number="4"/>
    </clusternode>
  </clusternodes>
  <fencedevices>
    <fencedevice name="apc" agent="fence_apc" ipaddr="10.0.0.9" passwd="s&quot;e&lt;cret"/>
    <fencedevice name="spare" agent="fence_ipmilan"/>
  </fencedevices>
  <rm>
    <failoverdomains>
      <failoverdomain name="both" ordered="1">
        <failoverdomainnode name="node1" priority="1"/>
        <failoverdomainnode name="node2" priority="2"/>
      </failoverdomain>
      <failoverdomain name="second"><failoverdomainnode name="node2"/></failoverdomain>
    </failoverdomains>
  </rm>
</cluster>
`;

const conf = () => parseClusterConf(base);

describe('createClusterConf', () => {
  test('writes the seed skeleton at version 1', () => {
    const c = createClusterConf({ name: 'tcluster' });
    expect(serializeXml(c.doc)).toBe(
      [
        '<?xml version="1.0"?>',
        '<cluster name="tcluster" config_version="1">',
        '  <clusternodes/>',
        '  <fencedevices/>',
        '  <rm>',
        '    <failoverdomains/>',
        '    <resources/>',
        '  </rm>',
        '</cluster>',
        '',
      ].join('\n'),
    );
  });

  test('-2 gives two skeleton nodes, cman two_node, and the shared device fence1', () => {
    const c = createClusterConf({ name: 'pair', twoNode: true });
    expect(c.cman?.attrs).toEqual({ two_node: '1', expected_votes: '1' });
    expect(c.nodes.map((n) => [n.name, n.nodeid, n.votes])).toEqual([
      ['NEEDNAME-01', 1, 1],
      ['NEEDNAME-02', 2, 1],
    ]);
    expect(c.nodes[1]!.fenceMethods[0]!.name).toBe('single');
    expect(c.nodes[1]!.fenceMethods[0]!.devices[0]!.name).toBe('fence1');
    expect(c.fenceDevices.map((d) => [d.name, d.agent])).toEqual([['fence1', 'fence_manual']]);
  });

  test('-n 12 numbers the skeletons with two digits and -f picks the agent', () => {
    const c = createClusterConf({ name: 'big', nodeCount: 12, fenceAgent: 'fence_ipmilan' });
    expect(c.nodes.at(-1)?.name).toBe('NEEDNAME-12');
    expect(c.fenceDevices[0]?.agent).toBe('fence_ipmilan');
  });

  test('refuses a two_node cluster with three nodes and an empty name', () => {
    expect(() => createClusterConf({ name: 'x', twoNode: true, nodeCount: 3 })).toThrow(
      '/cluster/cman/@two_node: a two_node cluster has at most 2 nodes',
    );
    expect(() => createClusterConf({ name: ' ' })).toThrow(EditError);
  });
});

describe('every edit', () => {
  test('bumps config_version by exactly one and keeps what it did not touch', () => {
    const next = applyEdit(conf(), { op: 'addFenceDevice', name: 'ipmi', agent: 'fence_ipmilan' });
    expect(next.configVersion).toBe(8);
    const text = serializeXml(next.doc);
    expect(text).toContain('<!-- kept by every edit -->');
    expect(text).toContain('<cluster name="alpha" config_version="8" x-vendor="acme">');
    expect(text).toContain('<!-- node2 is in rack 4 -->');
    expect(text).toContain('<x-rack number="4"/>');
    expect(text).toContain('passwd="s&quot;e&lt;cret"');
  });

  test('refuses a config without a usable config_version', () => {
    const c = parseClusterConf(
      '<cluster name="a" config_version="seven"><clusternodes/></cluster>',
    );
    expect(refusal(c, { op: 'addNode', name: 'n1' }).message).toBe(
      '/cluster/@config_version: config_version "seven" is not a non-negative integer',
    );
  });

  test('a refusal leaves the input untouched and carries EDIT_REJECTED', () => {
    const c = conf();
    const before = serializeXml(c.doc);
    const e = refusal(c, { op: 'deleteNode', name: 'node4' });
    expect(e.code).toBe('EDIT_REJECTED');
    expect(e.message).toBe('/cluster/clusternodes: node "node4" does not exist');
    expect(serializeXml(c.doc)).toBe(before);
  });
});

describe('nodes', () => {
  test('addNode takes the lowest free nodeid, goes after the last node and says so', () => {
    const { conf: next, notes } = applyEditWithNotes(conf(), {
      op: 'addNode',
      name: 'node3',
      fence: { device: 'apc', params: { port: '3' } },
    });
    const added = next.nodes[2]!;
    expect([added.name, added.nodeid, added.votes]).toEqual(['node3', 2, 1]);
    expect(added.path).toBe('/cluster/clusternodes/clusternode[3]');
    expect(added.fenceMethods[0]?.devices[0]?.params).toEqual({ port: '3' });
    expect(notes).toEqual(['node "node3" has nodeid 2']);
  });

  test('addNode refuses a duplicate name, a used nodeid and an unknown device', () => {
    expect(refusal(conf(), { op: 'addNode', name: 'node1' }).message).toBe(
      '/cluster/clusternodes/clusternode[3]/@name: node "node1" already exists',
    );
    expect(refusal(conf(), { op: 'addNode', name: 'n', nodeid: 3 }).message).toBe(
      '/cluster/clusternodes/clusternode[3]/@nodeid: nodeid 3 is already used by node2',
    );
    expect(refusal(conf(), { op: 'addNode', name: 'n', fence: { device: 'nope' } }).message).toBe(
      '/cluster/clusternodes/clusternode[3]/fence/method/device/@name: fence device "nope" does not exist in <fencedevices>',
    );
    expect(refusal(conf(), { op: 'addNode', name: 'n', votes: -1 }).reason).toBe(
      'votes must be an integer at least 0, not -1',
    );
  });

  test('names with quotes, angle brackets or spaces are refused before they reach the file', () => {
    expect(refusal(conf(), { op: 'addNode', name: 'a"<b>' }).message).toBe(
      '/cluster/clusternodes/clusternode[3]/@name: the node name "a"<b>" is not a host name or address (letters, digits, ".", "-", "_", ":")',
    );
    expect(refusal(conf(), { op: 'addFenceDevice', name: 'x<y', agent: 'fence_apc' }).reason).toBe(
      'the fence device name "x<y" must not contain quotes, <, >, & or control characters',
    );
    // IPv6 addresses and FQDNs are fine as node names.
    const next = applyEdit(conf(), { op: 'addNode', name: 'fe80::1', altname: 'n3.example.com' });
    expect(next.nodes[2]?.altnames[0]?.name).toBe('n3.example.com');
  });

  test('addNode creates <clusternodes> in its usual place when missing', () => {
    const c = parseClusterConf(
      '<cluster name="a" config_version="1"><cman/><fencedevices/><rm/></cluster>',
    );
    const next = applyEdit(c, { op: 'addNode', name: 'n1', nodeid: 5, votes: 2 });
    expect(next.doc.root.children.map((n) => (n.type === 'element' ? n.name : n.type))).toEqual([
      'cman',
      'clusternodes',
      'fencedevices',
      'rm',
    ]);
    expect(next.nodes[0]?.attrs).toEqual({ name: 'n1', votes: '2', nodeid: '5' });
  });

  test('deleteNode also removes the node from failover domains and says so', () => {
    const { conf: next, notes } = applyEditWithNotes(conf(), { op: 'deleteNode', name: 'node2' });
    expect(next.nodes.map((n) => n.name)).toEqual(['node1']);
    expect(next.rm?.failoverDomains.map((d) => d.nodes.map((m) => m.name))).toEqual([
      ['node1'],
      [],
    ]);
    expect(notes).toEqual([
      'node "node2" was also removed from failover domain(s) "both", "second"',
    ]);
  });

  test('setNodeProperties changes votes, nodeid and altname in place', () => {
    const next = applyEdit(conf(), {
      op: 'setNodeProperties',
      name: 'node2',
      votes: 2,
      nodeid: 2,
      altname: 'node2-ring1',
    });
    const n = next.nodes[1]!;
    expect(n.attrs).toEqual({ name: 'node2', nodeid: '2', votes: '2' });
    expect(n.altnames.map((a) => a.name)).toEqual(['node2-ring1']);
    // The altname goes first, before <fence>, as cluster.rng orders it.
    expect(n.el.children.find((c) => c.type === 'element')).toMatchObject({ name: 'altname' });
    const cleared = applyEdit(next, {
      op: 'setNodeProperties',
      name: 'node2',
      altname: null,
      votes: null,
    });
    expect(cleared.nodes[1]!.altnames).toEqual([]);
    expect(cleared.nodes[1]!.attrs.votes).toBeUndefined();
    expect(refusal(conf(), { op: 'setNodeProperties', name: 'node2', nodeid: 1 }).message).toBe(
      '/cluster/clusternodes/clusternode[2]/@nodeid: nodeid 1 is already used by node1',
    );
  });
});

describe('node fencing', () => {
  test('methods and their devices are added after their siblings and removed by name', () => {
    let c = applyEdit(conf(), { op: 'addFenceMethod', node: 'node1', method: 'backup' });
    c = applyEdit(c, {
      op: 'addMethodDevice',
      node: 'node1',
      method: 'backup',
      use: { device: 'spare', params: { ipaddr: 'bmc1', lanplus: '1' } },
    });
    expect(c.nodes[0]!.fenceMethods.map((m) => m.name)).toEqual(['power', 'backup']);
    expect(c.nodes[0]!.fenceMethods[1]!.devices[0]?.attrs).toEqual({
      name: 'spare',
      ipaddr: 'bmc1',
      lanplus: '1',
    });
    c = applyEdit(c, {
      op: 'deleteMethodDevice',
      node: 'node1',
      method: 'backup',
      device: 'spare',
    });
    expect(c.nodes[0]!.fenceMethods[1]!.devices).toEqual([]);
    c = applyEdit(c, { op: 'deleteFenceMethod', node: 'node1', method: 'power' });
    expect(c.nodes[0]!.fenceMethods.map((m) => m.name)).toEqual(['backup']);
    expect(c.configVersion).toBe(11);
  });

  test('refuses a duplicate method, a missing method and a "name" device argument', () => {
    expect(refusal(conf(), { op: 'addFenceMethod', node: 'node1', method: 'power' }).message).toBe(
      '/cluster/clusternodes/clusternode[1]/fence/method[2]/@name: fence method "power" already exists on node "node1"',
    );
    expect(
      refusal(conf(), { op: 'addMethodDevice', node: 'node1', method: 'x', use: { device: 'apc' } })
        .message,
    ).toBe(
      '/cluster/clusternodes/clusternode[1]/fence: fence method "x" does not exist on node "node1"',
    );
    const use = { device: 'apc', params: { name: 'other' } };
    expect(
      refusal(conf(), { op: 'addMethodDevice', node: 'node1', method: 'power', use }).reason,
    ).toBe('"name" cannot be given as a parameter here');
  });

  test('unfence devices are added in <unfence> after <fence> and the empty section goes', () => {
    let c = applyEdit(conf(), {
      op: 'addUnfenceDevice',
      node: 'node1',
      use: { device: 'spare', params: { action: 'on' } },
    });
    expect(c.nodes[0]!.unfence.map((d) => d.attrs)).toEqual([{ name: 'spare', action: 'on' }]);
    const names = c.nodes[0]!.el.children.flatMap((n) => (n.type === 'element' ? [n.name] : []));
    expect(names).toEqual(['fence', 'unfence']);
    c = applyEdit(c, { op: 'deleteUnfenceDevice', node: 'node1', device: 'spare' });
    expect(serializeXml(c.doc)).not.toContain('unfence');
  });
});

describe('fence devices', () => {
  test('update keeps attribute order; null removes', () => {
    const c = applyEdit(conf(), {
      op: 'updateFenceDevice',
      name: 'apc',
      agent: 'fence_apc_snmp',
      params: { ipaddr: '10.0.0.10', passwd: null, community: 'private' },
    });
    expect(c.fenceDevices[0]!.el.attrs).toEqual([
      { name: 'name', value: 'apc' },
      { name: 'agent', value: 'fence_apc_snmp' },
      { name: 'ipaddr', value: '10.0.0.10' },
      { name: 'community', value: 'private' },
    ]);
  });

  test('delete is refused while nodes use the device, naming them', () => {
    expect(refusal(conf(), { op: 'deleteFenceDevice', name: 'apc' }).message).toBe(
      '/cluster/fencedevices/fencedevice[1]: fence device "apc" is used by node1, node2: remove it from their methods first',
    );
    const c = applyEdit(conf(), { op: 'deleteFenceDevice', name: 'spare' });
    expect(c.fenceDevices.map((d) => d.name)).toEqual(['apc']);
  });

  test('add refuses a duplicate name and reserved parameters', () => {
    expect(refusal(conf(), { op: 'addFenceDevice', name: 'apc', agent: 'fence_apc' }).reason).toBe(
      'fence device "apc" already exists',
    );
    const bad = { op: 'addFenceDevice', name: 'x', agent: 'a', params: { agent: 'b' } } as const;
    expect(refusal(conf(), bad).path).toBe('/cluster/fencedevices/fencedevice[3]/@agent');
  });
});
