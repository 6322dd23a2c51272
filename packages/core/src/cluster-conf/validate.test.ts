import { describe, expect, test } from 'vitest';
import {
  check,
  confXml,
  fencedNode,
  found,
  threeDevices,
} from '../../testing/validate-fixtures.js';
import { validateClusterConfText } from './validate.js';

const twoNodes = fencedNode('node1', 1) + fencedNode('node2', 2);
const rmForTwo = `<service name="web"><ip address="10.1.1.1"/></service>`;

describe('levels', () => {
  test('a complete three-node config is clean at both levels', () => {
    for (const level of ['draft', 'runnable'] as const) {
      const result = check({}, level);
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
    }
  });

  test('name, version and nodes are runnable rules only', () => {
    const parts = { clusterAttrs: '', nodes: '', fenceDevices: '', rm: '' };
    expect(check(parts, 'draft').errors).toEqual([]);
    expect(found(check(parts, 'runnable').errors)).toEqual([
      'cluster-name-required /cluster/@name',
      'config-version-required /cluster/@config_version',
      'no-nodes /cluster/clusternodes',
    ]);
  });

  test('a node without nodeid is a draft, not runnable', () => {
    const parts = { nodes: '<clusternode name="node1"/>', fenceDevices: '', rm: '' };
    expect(check(parts, 'draft').errors).toEqual([]);
    expect(found(check(parts).errors)).toEqual([
      'nodeid-required /cluster/clusternodes/clusternode[1]/@nodeid',
    ]);
  });

  test('the root element must be <cluster>', () => {
    const result = check('<clusterx name="a"/>', 'draft');
    expect(found(result.errors)).toEqual(['root-element /clusterx']);
  });

  test('text that is not XML becomes one error with the parser code as its rule', () => {
    const result = validateClusterConfText('<cluster name="a">', 'draft');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.rule).toBe('not-xml');
    expect(result.errors[0]!.message).toMatch(/<cluster>/);
    expect(validateClusterConfText(confXml(), 'runnable').errors).toEqual([]);
  });
});

describe('cluster attributes and values', () => {
  test('config_version must be an integer of at least 1', () => {
    const zero = check({ clusterAttrs: 'name="a" config_version="0"' }, 'draft');
    expect(found(zero.errors)).toEqual(['out-of-range /cluster/@config_version']);
    const text = check({ clusterAttrs: 'name="a" config_version="v2"' }, 'draft');
    expect(text.errors[0]!.rule).toBe('not-an-integer');
    expect(text.errors[0]!.message).toBe('config_version must be an integer, not "v2"');
  });

  test('cman transport, port, cluster_id and multicast address', () => {
    const cman =
      '<cman transport="tcp" port="70000" cluster_id="-1"><multicast addr="10.0.0.1"/></cman>';
    expect(found(check({ cman }, 'draft').errors)).toEqual([
      'not-one-of /cluster/cman/@transport',
      'out-of-range /cluster/cman/@port',
      'out-of-range /cluster/cman/@cluster_id',
      'not-multicast /cluster/cman/multicast/@addr',
    ]);
    const ok = check({ cman: '<cman transport="udpu" port="5405"/>' });
    expect(ok.errors).toEqual([]);
  });

  test('totem token range and consensus against the token', () => {
    expect(found(check({ totem: '<totem token="50"/>' }).errors)).toEqual([
      'out-of-range /cluster/totem/@token',
    ]);
    expect(check({ totem: '<totem token="60001"/>' }).errors[0]!.message).toBe(
      'token must be between 100 and 60000 milliseconds, not 60001',
    );
    const short = check({ totem: '<totem token="10000" consensus="11000"/>' });
    expect(found(short.errors)).toEqual(['totem-consensus-too-short /cluster/totem/@consensus']);
    expect(check({ totem: '<totem token="10000" consensus="12000" join="60"/>' }).errors).toEqual(
      [],
    );
  });

  test('totem interfaces: ring number, port and addresses', () => {
    const totem =
      '<totem token="5000"><interface ringnumber="2" mcastport="0" mcastaddr="239.1.1.300"/>' +
      '<interface ringnumber="0" bindnetaddr="192.168.1.0" mcastport="5405"/></totem>';
    expect(found(check({ totem }, 'draft').errors)).toEqual([
      'out-of-range /cluster/totem/interface[1]/@ringnumber',
      'out-of-range /cluster/totem/interface[1]/@mcastport',
      'invalid-ip-address /cluster/totem/interface[1]/@mcastaddr',
    ]);
  });

  test('fence_daemon delays: post_join_delay may be -1 (wait forever), not less', () => {
    expect(check({ fenceDaemon: '<fence_daemon post_join_delay="-1"/>' }).errors).toEqual([]);
    const bad = check({ fenceDaemon: '<fence_daemon post_join_delay="-2" post_fail_delay="-1"/>' });
    expect(found(bad.errors)).toEqual([
      'out-of-range /cluster/fence_daemon/@post_join_delay',
      'out-of-range /cluster/fence_daemon/@post_fail_delay',
    ]);
    const clean = check({ fenceDaemon: '<fence_daemon clean_start="1"/>' });
    expect(found(clean.warnings)).toEqual(['clean-start /cluster/fence_daemon/@clean_start']);
  });

  test('flags accept RHCS words and nothing else', () => {
    const cman = '<cman two_node="yes" expected_votes="1"/>';
    expect(check({ cman, nodes: twoNodes, rm: rmForTwo }).errors).toEqual([]);
    const bad = check({ fenceDaemon: '<fence_daemon clean_start="maybe"/>' });
    expect(found(bad.errors)).toEqual(['not-a-boolean /cluster/fence_daemon/@clean_start']);
  });
});

describe('nodes', () => {
  test('duplicate nodeid names the node that has it', () => {
    const nodes = fencedNode('node1', 1) + fencedNode('node2', 1) + fencedNode('node3', 3);
    const result = check({ nodes }, 'draft');
    expect(result.errors).toEqual([
      {
        severity: 'error',
        path: '/cluster/clusternodes/clusternode[2]/@nodeid',
        rule: 'duplicate-nodeid',
        message: 'nodeid 1 is already used by node1',
      },
    ]);
  });

  test('duplicate node names, altnames clashing with names', () => {
    const nodes =
      fencedNode('node1', 1) +
      fencedNode('node1', 2) +
      '<clusternode name="node3" nodeid="3"><altname name="node1"/></clusternode>';
    const result = check({ nodes, rm: '' }, 'draft');
    expect(found(result.errors)).toEqual([
      'duplicate-node-name /cluster/clusternodes/clusternode[2]/@name',
      'duplicate-altname /cluster/clusternodes/clusternode[3]/altname[1]/@name',
    ]);
    expect(result.errors[0]!.message).toContain('/cluster/clusternodes/clusternode[1]');
  });

  test('nodeid at least 1, votes at least 0', () => {
    const nodes = fencedNode('node1', 0) + fencedNode('node2', 2, ' votes="-1"');
    expect(found(check({ nodes }, 'draft').errors)).toEqual([
      'out-of-range /cluster/clusternodes/clusternode[1]/@nodeid',
      'out-of-range /cluster/clusternodes/clusternode[2]/@votes',
    ]);
  });
});

describe('fencing', () => {
  test('a device reference must name an existing fence device', () => {
    const nodes = fencedNode('node1', 1) + fencedNode('node2', 2) + fencedNode('nodeX', 3);
    const result = check({ nodes }, 'draft');
    expect(found(result.errors)).toEqual([
      'unknown-fence-device /cluster/clusternodes/clusternode[3]/fence/method[1]/device[1]/@name',
    ]);
    expect(result.errors[0]!.message).toContain('ipmi-nodeX');
  });

  test('fence device names are unique and need an agent', () => {
    const fenceDevices = `${threeDevices}<fencedevice name="ipmi-node1"/>`;
    expect(found(check({ fenceDevices }, 'draft').errors)).toEqual([
      'missing-attribute /cluster/fencedevices/fencedevice[4]/@agent',
      'duplicate-fence-device /cluster/fencedevices/fencedevice[4]/@name',
    ]);
  });

  test('no fence devices at all is one warning, not an error', () => {
    const nodes = '<clusternode name="a" nodeid="1"/><clusternode name="b" nodeid="2"/>';
    const result = check({ nodes, fenceDevices: '', rm: '', cman: '<cman two_node="1"/>' });
    expect(result.errors).toEqual([]);
    expect(found(result.warnings)).toEqual(['no-fencing /cluster/fencedevices']);
  });

  test('a node without a fence method is a warning naming the node', () => {
    const nodes = `${fencedNode('node1', 1) + fencedNode('node2', 2)}<clusternode name="node3" nodeid="3"><fence/></clusternode>`;
    const result = check({ nodes });
    expect(result.errors).toEqual([]);
    expect(found(result.warnings)).toEqual([
      'node-without-fencing /cluster/clusternodes/clusternode[3]',
    ]);
    expect(result.warnings[0]!.message).toMatch(/node3.*manual/);
  });
});

describe('quorum', () => {
  const twoNodeCman = '<cman two_node="1" expected_votes="1"/>';

  test('two_node with two one-vote nodes is runnable', () => {
    expect(check({ cman: twoNodeCman, nodes: twoNodes, rm: rmForTwo }).errors).toEqual([]);
  });

  test('two_node with one node is a draft but not runnable; with three it is neither', () => {
    const one = { cman: twoNodeCman, nodes: fencedNode('node1', 1), rm: rmForTwo };
    expect(check(one, 'draft').errors).toEqual([]);
    expect(found(check(one).errors)).toEqual(['two-node-count /cluster/cman/@two_node']);
    const three = { cman: twoNodeCman };
    expect(found(check(three, 'draft').errors)).toEqual(['two-node-count /cluster/cman/@two_node']);
  });

  test('two_node needs one vote per node and expected_votes 1', () => {
    const nodes = fencedNode('node1', 1, ' votes="2"') + fencedNode('node2', 2);
    const result = check({ cman: '<cman two_node="1" expected_votes="2"/>', nodes }, 'draft');
    expect(found(result.errors)).toEqual([
      'two-node-votes /cluster/clusternodes/clusternode[1]/@votes',
      'two-node-expected-votes /cluster/cman/@expected_votes',
    ]);
  });

  test('expected_votes below the total is a warning, except with two_node', () => {
    const result = check({ cman: '<cman expected_votes="2"/>' });
    expect(result.errors).toEqual([]);
    expect(found(result.warnings)).toEqual([
      'expected-votes-below-total /cluster/cman/@expected_votes',
    ]);
    const twoNode = check({ cman: twoNodeCman, nodes: twoNodes, rm: rmForTwo });
    expect(twoNode.warnings).toEqual([]);
  });

  test('expected_votes that no partition can reach makes the config not runnable', () => {
    const cman = '<cman expected_votes="7"/>';
    expect(check({ cman }, 'draft').errors).toEqual([]);
    const result = check({ cman });
    expect(found(result.errors)).toEqual(['quorum-unreachable /cluster/cman/@expected_votes']);
    expect(result.errors[0]!.message).toContain('quorum 4 votes');
  });

  test('a quorum disk needs one vote per node and a device or label', () => {
    const nodes = fencedNode('node1', 1, ' votes="3"') + fencedNode('node2', 2);
    const quorumd = '<quorumd votes="1" interval="1" tko="10"/>';
    const totem = '<totem token="21000"/>';
    const result = check({ nodes, quorumd, totem, rm: rmForTwo });
    expect(found(result.errors)).toEqual([
      'quorumd-device-required /cluster/quorumd',
      'quorumd-node-votes /cluster/clusternodes/clusternode[1]/@votes',
    ]);
    expect(found(check({ nodes, quorumd, totem, rm: rmForTwo }, 'draft').errors)).toEqual([
      'quorumd-node-votes /cluster/clusternodes/clusternode[1]/@votes',
    ]);
  });

  test('quorum disk sanity: votes, heuristics, timing against the token', () => {
    const quorumd =
      '<quorumd label="qdisk" votes="5" min_score="3"><heuristic program="ping -c1 gw" score="1"/></quorumd>';
    const result = check({ quorumd });
    expect(found(result.errors)).toEqual([
      'quorumd-min-score-unreachable /cluster/quorumd/@min_score',
    ]);
    expect(found(result.warnings)).toEqual([
      'quorumd-votes /cluster/quorumd/@votes',
      'quorumd-timeout-exceeds-token /cluster/totem/@token',
    ]);
    const good = '<quorumd label="qdisk" votes="2"/>';
    expect(check({ quorumd: good, totem: '<totem token="20000"/>' }).warnings).toEqual([]);
  });

  test('two_node and a quorum disk exclude each other', () => {
    const parts = {
      cman: twoNodeCman,
      nodes: twoNodes,
      rm: rmForTwo,
      quorumd: '<quorumd label="q"/>',
    };
    expect(found(check(parts, 'draft').errors)).toEqual([
      'two-node-with-quorumd /cluster/cman/@two_node',
    ]);
  });

  test('two one-vote nodes without two_node are warned about', () => {
    const result = check({ nodes: twoNodes, rm: rmForTwo });
    expect(found(result.warnings)).toEqual(['two-nodes-without-two-node /cluster/cman/@two_node']);
  });
});

describe('schema generation', () => {
  test('the pre-cluster3 schema is named with the old elements it uses', () => {
    const xml = `<cluster name="old" config_version="2"><nodes><node name="a"/></nodes>
      <fence_devices><device name="x" agent="fence_wti"/></fence_devices>
      <rm><group name="g1"/></rm></cluster>`;
    const result = check(xml, 'draft');
    const old = result.errors.find((e) => e.rule === 'old-schema');
    expect(old?.message).toMatch(/<nodes>.*<fence_devices>.*<group>/);
  });

  test('cluster3 <group> (groupd settings) directly under <cluster> is not the old schema', () => {
    const xml = confXml({ cman: '<cman/><group groupd_compat="0"/>' });
    expect(check(xml).errors).toEqual([]);
  });
});

describe('more cluster rules', () => {
  test('fence methods: unique names per node; an empty method is a warning', () => {
    const nodes =
      '<clusternode name="node1" nodeid="1"><fence><method name="m"><device name="ipmi-node1"/></method>' +
      '<method name="m"/></fence></clusternode>' +
      fencedNode('node2', 2) +
      fencedNode('node3', 3);
    const result = check({ nodes });
    expect(found(result.errors)).toEqual([
      'duplicate-fence-method /cluster/clusternodes/clusternode[1]/fence/method[2]/@name',
    ]);
    expect(found(result.warnings)).toEqual([
      'empty-fence-method /cluster/clusternodes/clusternode[1]/fence/method[2]',
    ]);
  });

  test('a multicast address with udpu is unused, and said so', () => {
    const cman = '<cman transport="udpu"><multicast addr="239.192.0.1"/></cman>';
    expect(found(check({ cman }).warnings)).toEqual(['multicast-unused /cluster/cman/multicast']);
  });

  test('nodes without votes can never be quorate', () => {
    const nodes = fencedNode('node1', 1, ' votes="0"') + fencedNode('node2', 2, ' votes="0"');
    const result = check({ nodes, rm: rmForTwo });
    expect(found(result.errors)).toEqual(['no-votes /cluster/clusternodes']);
  });

  test('logging and <rm> attributes', () => {
    const xml = confXml({
      cman: '<cman/><logging to_syslog="perhaps"><logging_daemon name="rgmanager" syslog_priority="loud"/></logging>',
      rm: '',
    }).replace('<rm>', '<rm log_level="9" status_poll_interval="0">');
    expect(found(check(xml, 'draft').errors)).toEqual([
      'not-a-boolean /cluster/logging/@to_syslog',
      'not-one-of /cluster/logging/logging_daemon[1]/@syslog_priority',
      'out-of-range /cluster/rm/@log_level',
      'out-of-range /cluster/rm/@status_poll_interval',
    ]);
  });
});

describe('scale', () => {
  test('32 nodes and 1,000 services validate cleanly (timing: pnpm bench:config)', () => {
    const nodes = Array.from({ length: 32 }, (_, i) => fencedNode(`n${i + 1}`, i + 1)).join('');
    const fenceDevices = Array.from(
      { length: 32 },
      (_, i) =>
        `<fencedevice name="ipmi-n${i + 1}" agent="fence_ipmilan" ipaddr="10.9.0.${i + 1}"/>`,
    ).join('');
    const resources = Array.from(
      { length: 1000 },
      (_, i) => `<ip address="10.${Math.floor(i / 250)}.${i % 250}.1"/>`,
    ).join('');
    const services = Array.from(
      { length: 1000 },
      (_, i) =>
        `<service name="s${i}"><ip ref="10.${Math.floor(i / 250)}.${i % 250}.1"/>` +
        `<script name="sc${i}" file="/etc/init.d/app${i}"/></service>`,
    ).join('');
    const xml = confXml({
      nodes,
      fenceDevices,
      rm: `<resources>${resources}</resources>${services}`,
    });
    const result = check(xml);
    expect(result.errors).toEqual([]);
  });
});
