import { describe, expect, test } from 'vitest';
import { refusal } from '../../testing/edit-fixtures.js';
import { serializeXml } from '../xml/xml-serialize.js';
import { applyEdit, applyEdits, applyEditWithNotes } from './edit.js';
import type { ConfigEdit } from './edit-model.js';
import { parseClusterConf } from './read.js';

const base = `<?xml version="1.0"?>
<cluster name="web" config_version="3">
  <clusternodes>
    <clusternode name="a" nodeid="1"/>
    <clusternode name="b" nodeid="2"/>
  </clusternodes>
  <fencedevices/>
  <rm log_level="6">
    <failoverdomains>
      <failoverdomain name="prefer-a" ordered="1" restricted="0">
        <failoverdomainnode name="a" priority="1"/>
      </failoverdomain>
    </failoverdomains>
    <resources>
      <ip address="10.0.0.50/24" monitor_link="1"/>
      <script name="httpd" file="/etc/init.d/httpd"/>
    </resources>
    <service name="www" domain="prefer-a" recovery="relocate">
      <ip ref="10.0.0.50/24">
        <script ref="httpd"/>
      </ip>
      <!-- the data -->
      <fs name="data" device="/dev/sdb1" mountpoint="/srv" fstype="ext4"/>
    </service>
    <events><event name="x" class="node"/></events>
  </rm>
</cluster>
`;

const conf = () => parseClusterConf(base);

describe('failover domains', () => {
  test('add with members and flags; members must be cluster nodes', () => {
    const c = applyEdit(conf(), {
      op: 'addFailoverDomain',
      name: 'only-b',
      restricted: true,
      nofailback: false,
      members: [{ node: 'b', priority: 3 }],
    });
    const d = c.rm!.failoverDomains[1]!;
    expect(d.el.attrs).toEqual([
      { name: 'name', value: 'only-b' },
      { name: 'restricted', value: '1' },
      { name: 'nofailback', value: '0' },
    ]);
    expect(d.nodes.map((m) => [m.name, m.priority])).toEqual([['b', 3]]);
    expect(
      refusal(conf(), { op: 'addFailoverDomain', name: 'z', members: [{ node: 'c' }] }).message,
    ).toBe('/cluster/clusternodes: node "c" does not exist');
    const bad = { op: 'addFailoverDomain', name: 'z', members: [{ node: 'a', priority: 101 }] };
    expect(refusal(conf(), bad as ConfigEdit).message).toBe(
      '/cluster/rm/failoverdomains/failoverdomain[2]/failoverdomainnode[1]/@priority: priority must be an integer 1–100, not 101',
    );
  });

  test('update flags in place; members are added, re-prioritised and removed', () => {
    const c = applyEdits(conf(), [
      { op: 'updateFailoverDomain', name: 'prefer-a', restricted: true, nofailback: true },
      { op: 'setDomainMember', domain: 'prefer-a', node: 'b', priority: 2 },
      { op: 'setDomainMember', domain: 'prefer-a', node: 'a', priority: 5 },
      { op: 'deleteDomainMember', domain: 'prefer-a', node: 'b' },
    ]);
    const d = c.rm!.failoverDomains[0]!;
    expect(d.attrs).toEqual({ name: 'prefer-a', ordered: '1', restricted: '1', nofailback: '1' });
    expect(d.nodes.map((m) => [m.name, m.priority])).toEqual([['a', 5]]);
    expect(c.configVersion).toBe(7);
  });

  test('delete is refused while a service uses the domain', () => {
    expect(refusal(conf(), { op: 'deleteFailoverDomain', name: 'prefer-a' }).message).toBe(
      '/cluster/rm/failoverdomains/failoverdomain[1]: failover domain "prefer-a" is used by service "www": change their domain first',
    );
  });

  test('<rm> and <failoverdomains> are created where they belong', () => {
    const c = parseClusterConf(
      '<cluster name="a" config_version="1"><clusternodes><clusternode name="n" nodeid="1"/></clusternodes><fencedevices/><logging/></cluster>',
    );
    const next = applyEdit(c, { op: 'addFailoverDomain', name: 'd', members: [{ node: 'n' }] });
    expect(serializeXml(next.doc)).toContain(
      '  <fencedevices/>\n  <logging/>\n  <rm>\n    <failoverdomains>\n      <failoverdomain name="d">',
    );
  });
});

describe('global resources', () => {
  test('add goes after its kind; the primary attribute is required and unique', () => {
    const c = applyEdit(conf(), {
      op: 'addResource',
      type: 'ip',
      params: { address: '10.0.0.51/24', monitor_link: '1' },
    });
    expect(c.rm!.resources.map((r) => r.params.address ?? r.params.name)).toEqual([
      '10.0.0.50/24',
      '10.0.0.51/24',
      'httpd',
    ]);
    expect(
      refusal(conf(), { op: 'addResource', type: 'ip', params: { address: '10.0.0.50/24' } })
        .message,
    ).toBe('/cluster/rm/resources/ip[3]/@address: resource ip "10.0.0.50/24" already exists');
    expect(
      refusal(conf(), { op: 'addResource', type: 'fs', params: { device: '/d' } }).reason,
    ).toBe('the primary attribute "name" must not be empty');
  });

  test('ocf resources are written as <ocf agent=…>', () => {
    const c = applyEdit(conf(), {
      op: 'addResource',
      type: 'ocf:heartbeat:IPaddr2',
      params: { name: 'vip', ip: '10.0.0.60' },
    });
    expect(serializeXml(c.doc)).toContain(
      '<ocf agent="heartbeat:IPaddr2" name="vip" ip="10.0.0.60"/>',
    );
    expect(c.rm!.resources.at(-1)?.type).toBe('ocf:heartbeat:IPaddr2');
  });

  test('update changes attributes; delete and rename are refused while referenced', () => {
    const c = applyEdit(conf(), {
      op: 'updateResource',
      type: 'script',
      primary: 'httpd',
      params: { file: '/usr/sbin/httpd-ctl' },
    });
    expect(c.rm!.resources[1]!.params.file).toBe('/usr/sbin/httpd-ctl');
    expect(
      refusal(conf(), { op: 'deleteResource', type: 'script', primary: 'httpd' }).message,
    ).toBe(
      '/cluster/rm/resources/script[1]: resource script "httpd" is used by service "www": remove the refs first',
    );
    const rename = {
      op: 'updateResource',
      type: 'script',
      primary: 'httpd',
      params: { name: 'h' },
    };
    expect(refusal(conf(), rename as ConfigEdit).reason).toContain(
      'is referenced by service "www"',
    );
    const freed = applyEdits(conf(), [
      { op: 'deleteServiceResource', service: 'www', at: [0, 0] },
      { op: 'deleteResource', type: 'script', primary: 'httpd' },
    ]);
    expect(freed.rm!.resources.map((r) => r.type)).toEqual(['ip']);
  });
});

describe('services', () => {
  test('add goes after the last service and before <events>', () => {
    const c = applyEdit(conf(), {
      op: 'addService',
      name: 'db',
      attrs: { autostart: '0', domain: 'prefer-a' },
    });
    const names = c.rm!.el.children.flatMap((n) => (n.type === 'element' ? [n.name] : []));
    expect(names).toEqual(['failoverdomains', 'resources', 'service', 'service', 'events']);
    expect(c.rm!.services[1]!.attrs).toEqual({ name: 'db', autostart: '0', domain: 'prefer-a' });
  });

  test('add refuses a duplicate name and an unknown domain', () => {
    expect(refusal(conf(), { op: 'addService', name: 'www' }).reason).toBe(
      'service "www" already exists',
    );
    expect(
      refusal(conf(), { op: 'addService', name: 'x', attrs: { domain: 'nope' } }).message,
    ).toBe('/cluster/rm/service[2]/@domain: failover domain "nope" does not exist');
  });

  test('update and delete; delete is refused while another service depends on it', () => {
    let c = applyEdit(conf(), {
      op: 'updateService',
      name: 'www',
      attrs: { recovery: 'restart', max_restarts: '3', domain: null },
    });
    expect(c.rm!.services[0]!.attrs).toEqual({
      name: 'www',
      recovery: 'restart',
      max_restarts: '3',
    });
    c = applyEdit(c, { op: 'addService', name: 'app', attrs: { depend: 'service:www' } });
    expect(refusal(c, { op: 'deleteService', name: 'www' }).reason).toBe(
      'service "www" is a dependency of "app": change their depend first',
    );
    c = applyEdit(c, { op: 'deleteService', name: 'app' });
    expect(c.rm!.services.map((s) => s.params.name)).toEqual(['www']);
  });

  test('tree resources: a ref or an inline resource at a tree path, then removed', () => {
    let c = applyEdit(conf(), {
      op: 'addServiceResource',
      service: 'www',
      parent: [1],
      resource: { type: 'nfsexport', params: { name: 'exports' } },
    });
    c = applyEdits(c, [
      { op: 'addResource', type: 'ip', params: { address: '10.0.0.52' } },
      {
        op: 'addServiceResource',
        service: 'www',
        parent: [],
        resource: { type: 'ip', ref: '10.0.0.52' },
      },
    ]);
    const svc = c.rm!.services[0]!;
    expect(svc.children.map((r) => r.type)).toEqual(['ip', 'fs', 'ip']);
    expect(svc.children[1]!.children[0]!.params).toEqual({ name: 'exports' });
    expect(serializeXml(c.doc)).toContain('<!-- the data -->');
    const removed = applyEditWithNotes(c, { op: 'deleteServiceResource', service: 'www', at: [1] });
    expect(removed.conf.rm!.services[0]!.children.map((r) => r.type)).toEqual(['ip', 'ip']);
    expect(removed.notes).toEqual([
      '1 resource(s) below /cluster/rm/service[1]/fs[1] were removed with it',
    ]);
  });

  test('draft validation refuses what the edit itself does not check (a second use)', () => {
    const second = {
      op: 'addServiceResource',
      service: 'www',
      parent: [],
      resource: { type: 'ip', ref: '10.0.0.50/24' },
    } as const;
    expect(refusal(conf(), second).message).toBe(
      '/cluster/rm/service[1]/ip[2]/@ref: ip 10.0.0.50/24 is used by service www (2 times), but type ip allows each resource 1 use (maxinstances 1) [max-instances-exceeded]',
    );
  });

  test('tree refusals name the path and the rule', () => {
    const missingRef = {
      op: 'addServiceResource',
      service: 'www',
      parent: [],
      resource: { type: 'ip', ref: '10.9.9.9' },
    } as const;
    expect(refusal(conf(), missingRef).message).toBe(
      '/cluster/rm/resources: resource ip "10.9.9.9" does not exist',
    );
    const badPath = { ...missingRef, parent: [0, 4] };
    expect(refusal(conf(), badPath).reason).toBe(
      'tree path [0, 4] of service "www" does not exist',
    );
    const dup = {
      op: 'addServiceResource',
      service: 'www',
      parent: [],
      resource: { type: 'fs', params: { name: 'data', device: '/dev/sdc' } },
    } as const;
    expect(refusal(conf(), dup).reason).toBe(
      'fs "data" is already defined at /cluster/rm/service[1]/fs[1]: use a ref to a global resource instead',
    );
  });
});

describe('cluster properties', () => {
  test('alias, cman, totem, fence_daemon and rm attributes; sections created in order', () => {
    const c = applyEdit(conf(), {
      op: 'setClusterProperties',
      changes: {
        alias: 'Web farm',
        cman: { expectedVotes: 2, transport: 'udpu', port: 5405 },
        totem: { tokenMs: 10000 },
        fenceDaemon: { postJoinDelayS: 20, postFailDelayS: 0 },
        rm: { log_level: null, status_poll_interval: '20' },
      },
    });
    expect(c.alias).toBe('Web farm');
    expect(c.cman?.attrs).toEqual({ expected_votes: '2', transport: 'udpu', port: '5405' });
    expect(c.totem?.tokenMs).toBe(10000);
    expect(c.fenceDaemon?.postJoinDelay).toBe(20);
    expect(c.rm?.attrs).toEqual({ status_poll_interval: '20' });
    const order = c.doc.root.children.flatMap((n) => (n.type === 'element' ? [n.name] : []));
    expect(order).toEqual(['cman', 'totem', 'fence_daemon', 'clusternodes', 'fencedevices', 'rm']);
  });

  test('two_node with expected_votes 1 is a valid draft; with a third node it is refused', () => {
    const pair = applyEdit(conf(), {
      op: 'setClusterProperties',
      changes: { cman: { twoNode: true, expectedVotes: 1 } },
    });
    expect(pair.cman?.twoNode).toBe(true);
    const third = refusal(pair, { op: 'addNode', name: 'c' });
    expect(third.path).toMatch(/^\/cluster\/cman/);
    expect(third.reason).toMatch(/\[two-node-count\]/);
  });

  test('refuses out-of-range values with the attribute path', () => {
    const port = { op: 'setClusterProperties', changes: { cman: { port: 70000 } } } as const;
    expect(refusal(conf(), port).message).toBe(
      '/cluster/cman/@port: port must be an integer 1–65535, not 70000',
    );
    const transport = { op: 'setClusterProperties', changes: { cman: { transport: 'tcp' } } };
    expect(refusal(conf(), transport as ConfigEdit).reason).toBe(
      'transport must be udp or udpu, not "tcp"',
    );
  });

  test('removing an attribute of a missing section does not create the section', () => {
    const c = applyEdit(conf(), {
      op: 'setClusterProperties',
      changes: { totem: { tokenMs: null } },
    });
    expect(c.totem).toBeUndefined();
    expect(c.configVersion).toBe(4);
  });
});
