import { describe, expect, test } from 'vitest';
import { check, found } from '../../testing/validate-fixtures.js';

const domain = (name: string, members: string, attrs = '') =>
  `<failoverdomain name="${name}"${attrs}>${members}</failoverdomain>`;
const member = (name: string, priority?: number) =>
  `<failoverdomainnode name="${name}"${priority === undefined ? '' : ` priority="${priority}"`}/>`;
const rm = (body: string) => ({ rm: body });

describe('failover domains', () => {
  test('members are cluster nodes, once each, with priorities 1 to 100', () => {
    const body = `<failoverdomains>${domain(
      'd1',
      member('node1', 1) + member('node9', 2) + member('node1', 3) + member('node2', 101),
      ' ordered="1"',
    )}</failoverdomains>`;
    const result = check(rm(body), 'draft');
    expect(found(result.errors)).toEqual([
      'unknown-domain-node /cluster/rm/failoverdomains/failoverdomain[1]/failoverdomainnode[2]/@name',
      'duplicate-domain-node /cluster/rm/failoverdomains/failoverdomain[1]/failoverdomainnode[3]/@name',
      'out-of-range /cluster/rm/failoverdomains/failoverdomain[1]/failoverdomainnode[4]/@priority',
    ]);
    expect(result.errors[0]!.message).toBe(
      'failover domain d1 lists node9, which is not a cluster node',
    );
  });

  test('domain names are unique; an empty restricted domain is a warning', () => {
    const body = `<failoverdomains>${domain('d1', member('node1'))}${domain('d1', '', ' restricted="1"')}</failoverdomains>`;
    const result = check(rm(body));
    expect(found(result.errors)).toEqual([
      'duplicate-domain /cluster/rm/failoverdomains/failoverdomain[2]/@name',
    ]);
    expect(found(result.warnings)).toEqual([
      'empty-restricted-domain /cluster/rm/failoverdomains/failoverdomain[2]',
    ]);
  });

  test('members of a fragment without nodes are judged only at the runnable level', () => {
    const xml = `<cluster><rm><failoverdomains>${domain('d', member('n1'))}</failoverdomains></rm></cluster>`;
    expect(check(xml, 'draft').errors).toEqual([]);
    expect(found(check(xml).errors)).toContain(
      'unknown-domain-node /cluster/rm/failoverdomains/failoverdomain[1]/failoverdomainnode[1]/@name',
    );
  });
});

describe('services', () => {
  test("a service's domain must exist; recovery and depend_mode are enumerations", () => {
    const body =
      '<service name="a" domain="nowhere" recovery="reboot" depend_mode="firm"/>' +
      '<service name="b" recovery="restart-disable"/>';
    expect(found(check(rm(body), 'draft').errors)).toEqual([
      'not-one-of /cluster/rm/service[1]/@recovery',
      'not-one-of /cluster/rm/service[1]/@depend_mode',
      'unknown-domain /cluster/rm/service[1]/@domain',
    ]);
  });

  test('service names are unique, including services used by ref', () => {
    const body =
      '<resources><service name="web"/></resources>' +
      '<service ref="web"/><service name="web"/><vm name="web"/>';
    const result = check(rm(body), 'draft');
    const duplicates = result.errors.filter((e) => e.rule === 'duplicate-service');
    expect(found(duplicates)).toEqual(['duplicate-service /cluster/rm/service[2]/@name']);
    expect(duplicates[0]!.message).toContain('/cluster/rm/service[1]');
  });

  test('depend names an existing service, not itself', () => {
    const body =
      '<service name="a" depend="service:b"/><service name="b" depend="service:zz"/>' +
      '<service name="c" depend="c"/><service name="d" depend="service:d"/>';
    expect(found(check(rm(body), 'draft').errors)).toEqual([
      'unknown-dependency /cluster/rm/service[2]/@depend',
      'invalid-dependency /cluster/rm/service[3]/@depend',
      'self-dependency /cluster/rm/service[4]/@depend',
    ]);
  });

  test('legacy <dependencies> name existing services', () => {
    const body =
      '<dependencies><dependency name="service:a"><target name="service:x" require="always"/>' +
      '</dependency></dependencies><service name="a"/>';
    expect(found(check(rm(body), 'draft').errors)).toEqual([
      'unknown-dependency /cluster/rm/dependencies/dependency[1]/target[1]/@name',
    ]);
  });
});

describe('resources and references', () => {
  test('a ref must name a global resource; a ref to an inline one is illegal', () => {
    const body =
      '<resources><script name="s1" file="/etc/init.d/a"/></resources>' +
      '<service name="a"><script ref="s2"/><fs name="inl" device="/dev/sdb1" mountpoint="/m"/></service>' +
      '<service name="b"><fs ref="inl"/></service>';
    const result = check(rm(body), 'draft');
    expect(found(result.errors)).toEqual([
      'unknown-resource-ref /cluster/rm/service[1]/script[1]/@ref',
      'ref-to-inline-resource /cluster/rm/service[2]/fs[1]/@ref',
    ]);
    expect(result.errors[0]!.message).toBe(
      'there is no script resource with name s2 under <resources>',
    );
  });

  test('refs resolve by the primary attribute (address for ip)', () => {
    const body =
      '<resources><ip address="10.0.0.5/24"/></resources>' +
      '<service name="a"><ip ref="10.0.0.5/24"/></service>';
    expect(check(rm(body)).errors).toEqual([]);
  });

  test('one resource used beyond maxinstances is an error naming every user', () => {
    const body =
      '<resources><ip address="10.0.0.5"/><fs name="d" device="/dev/sdc" mountpoint="/d"/></resources>' +
      '<service name="a"><ip ref="10.0.0.5"/><fs ref="d"/></service>' +
      '<service name="b"><ip ref="10.0.0.5"/></service>' +
      '<service name="c"><ip ref="10.0.0.5"/><fs ref="d"/></service>';
    const result = check(rm(body), 'draft');
    expect(found(result.errors)).toEqual([
      'max-instances-exceeded /cluster/rm/service[2]/ip[1]/@ref',
      'max-instances-exceeded /cluster/rm/service[3]/fs[1]/@ref',
    ]);
    expect(result.errors[0]!.message).toBe(
      'ip 10.0.0.5 is used by service a, service b and service c, but type ip allows each ' +
        'resource 1 use (maxinstances 1)',
    );
  });

  test('primary and unique values are unique per type, inline resources included', () => {
    const body =
      '<resources><fs name="d1" device="/dev/sdb" mountpoint="/srv"/>' +
      '<fs name="d2" device="/dev/sdc" mountpoint="/srv"/><script name="d1" file="/x"/></resources>' +
      '<service name="a"><fs name="d1" device="/dev/sdd" mountpoint="/other"/></service>';
    const result = check(rm(body), 'draft');
    expect(found(result.errors)).toEqual([
      'duplicate-unique-parameter /cluster/rm/resources/fs[2]/@mountpoint',
      'duplicate-resource /cluster/rm/service[1]/fs[1]/@name',
    ]);
    expect(result.errors[0]!.message).toContain('fs d1');
  });

  test('a multi-instance resource (clusterfs) may be used by several services', () => {
    const body =
      '<resources><clusterfs name="gfs" device="/dev/vg/gfs" mountpoint="/gfs" fstype="gfs2"/></resources>' +
      '<service name="a"><clusterfs ref="gfs"/></service><service name="b"><clusterfs ref="gfs"/></service>';
    expect(check(rm(body)).errors).toEqual([]);
  });
});

describe('parameters against agent metadata', () => {
  test('required parameters, integer, boolean and select values', () => {
    const body =
      '<service name="a"><fs name="d" mountpoint="/m"/>' +
      '<ip address="10.0.0.7" sleeptime="soon" monitor_link="maybe" family="inet5"/></service>';
    const result = check(rm(body), 'draft');
    expect(found(result.errors)).toEqual([
      'missing-parameter /cluster/rm/service[1]/fs[1]/@device',
      'not-an-integer /cluster/rm/service[1]/ip[1]/@sleeptime',
      'not-a-boolean /cluster/rm/service[1]/ip[1]/@monitor_link',
      'not-one-of /cluster/rm/service[1]/ip[1]/@family',
    ]);
  });

  test('inherited parameters need not be written (nfsexport under fs)', () => {
    const body =
      '<service name="a"><fs name="d" device="/dev/sdb" mountpoint="/m">' +
      '<nfsexport name="e"><nfsclient name="c" target="*"/></nfsexport></fs></service>';
    expect(check(rm(body)).errors).toEqual([]);
  });

  test('ip addresses parse, IPv4 and IPv6, with a prefix in range', () => {
    const ips = ['10.0.0.300', '10.0.0.1/33', 'fe80::1::2', '2001:db8::10/129'];
    const body = `<service name="a">${ips.map((a) => `<ip address="${a}"/>`).join('')}</service>`;
    const result = check(rm(body), 'draft');
    expect(result.errors.map((e) => e.rule)).toEqual(Array(4).fill('invalid-ip-address'));
    const good =
      '<service name="a"><ip address="2001:db8::10/64"/><ip address="10.1.1.1/8"/></service>';
    expect(check(rm(good)).errors).toEqual([]);
  });

  test('unknown attributes and unknown types are warnings and nothing more', () => {
    const body =
      '<service name="a" colour="blue"><apache name="web" config_file="/etc/httpd.conf"/>' +
      '<apache name="web2"/></service>';
    const result = check(rm(body), 'draft');
    expect(result.errors).toEqual([]);
    expect(found(result.warnings)).toEqual([
      'unknown-parameter /cluster/rm/service[1]/@colour',
      'unknown-resource-type /cluster/rm/service[1]/apache[1]',
    ]);
  });

  test('a type that is not a root cannot stand directly under <rm>', () => {
    expect(found(check(rm('<ip address="10.0.0.9"/>'), 'draft').errors)).toEqual([
      'not-a-root-type /cluster/rm/ip[1]',
    ]);
  });

  test('__ attributes and <action> overrides are checked', () => {
    const body =
      '<service name="a"><script name="s" file="/x" __independent_subtree="3" __max_restarts="-1">' +
      '<action name="status" depth="deep" interval="1x"/></script></service>';
    expect(found(check(rm(body), 'draft').errors)).toEqual([
      'not-one-of /cluster/rm/service[1]/script[1]/@__independent_subtree',
      'out-of-range /cluster/rm/service[1]/script[1]/@__max_restarts',
      'not-an-integer /cluster/rm/service[1]/script[1]/action[1]/@depth',
      'not-a-time /cluster/rm/service[1]/script[1]/action[1]/@interval',
    ]);
  });

  test('<ocf> needs agent="PROVIDER:TYPE"', () => {
    const body = '<service name="a"><ocf agent="IPaddr2" name="vip"/></service>';
    const result = check(rm(body), 'draft');
    expect(found(result.errors)).toEqual([
      'invalid-ocf-agent /cluster/rm/service[1]/ocf[1]/@agent',
    ]);
  });
});

describe('more resource rules', () => {
  test('children of a global resource are ignored, with a warning', () => {
    const body =
      '<resources><fs name="d" device="/dev/sdb" mountpoint="/m"><script name="s" file="/x"/></fs></resources>' +
      '<service name="a"><fs ref="d"/></service>';
    const result = check(rm(body));
    expect(result.errors).toEqual([]);
    expect(found(result.warnings)).toEqual(['ignored-children /cluster/rm/resources/fs[1]']);
  });

  test('a child type the parent forbids (nfsexport under nfsexport)', () => {
    const body =
      '<service name="a"><fs name="d" device="/dev/sdb" mountpoint="/m">' +
      '<nfsexport name="e1"><nfsexport name="e2"/></nfsexport></fs></service>';
    expect(found(check(rm(body), 'draft').errors)).toEqual([
      'forbidden-child /cluster/rm/service[1]/fs[1]/nfsexport[1]/nfsexport[1]',
    ]);
  });

  test('an inherited parameter nothing above supplies is a warning', () => {
    const body =
      '<resources><nfsexport name="exp"/></resources>' +
      '<service name="a"><nfsexport ref="exp"><nfsclient name="c" target="*"/></nfsexport></service>';
    const result = check(rm(body));
    expect(result.errors).toEqual([]);
    expect(found(result.warnings)).toEqual([
      'inherit-unresolved /cluster/rm/service[1]/nfsexport[1]/@device',
      'inherit-unresolved /cluster/rm/service[1]/nfsexport[1]/@path',
      'inherit-unresolved /cluster/rm/service[1]/nfsexport[1]/nfsclient[1]/@path',
    ]);
    expect(result.warnings[1]!.message).toBe(
      'nfsexport exp takes path from the mountpoint of a resource above it, but none above it has one',
    );
    const under = body
      .replace('<nfsexport ref', '<fs name="d" device="/dev/sdb" mountpoint="/m"><nfsexport ref')
      .replace('</nfsexport></service>', '</nfsexport></fs></service>');
    expect(check(rm(under)).warnings).toEqual([]);
  });

  test('a vm is a root with its own parameters', () => {
    const ok = '<vm name="guest1" recovery="restart" migrate="live"/>';
    expect(check(rm(ok)).errors).toEqual([]);
    const bad = '<vm name="guest1" migrate="teleport"/>';
    expect(found(check(rm(bad), 'draft').errors)).toEqual([
      'not-one-of /cluster/rm/vm[1]/@migrate',
    ]);
  });
});
