import { describe, expect, test } from 'vitest';
import { XmlInputError } from '../xml/xml-parse.js';
import { parseOcfDurationMs } from './duration.js';
import { AgentMetadataError, parseAgentMetadata, primaryParameterName } from './parse.js';

const sample = `<?xml version="1.0"?>
<resource-agent name="IPaddr2" version="0.9">
  <version>1.1</version>
  <longdesc lang="de">Eine Adresse</longdesc>
  <longdesc lang="en">Manages a
     virtual address.</longdesc>
  <shortdesc lang="en">Virtual IP</shortdesc>
  <parameters>
    <parameter name="ip" unique="1" required="1" primary="1">
      <shortdesc lang="en">Address</shortdesc>
      <content type="string"/>
    </parameter>
    <parameter name="cidr_netmask" reconfig="1">
      <content type="integer" default="24"/>
    </parameter>
    <parameter name="family">
      <content type="select" default="auto"><option value="auto"/><option value="inet6"/></content>
    </parameter>
    <parameter name="nfslock" inherit="service%nfslock"><content type="boolean" default="0"/></parameter>
  </parameters>
  <actions>
    <action name="start" timeout="20s"/>
    <action name="monitor" depth="10" interval="1m" timeout="500ms"/>
    <action name="stop" timeout="0"/>
    <action name="meta-data" timeout="5"/>
  </actions>
  <special tag="rgmanager">
    <attributes root="1" maxinstances="2"/>
    <child type="fs" start="2" stop="8"/>
    <child type="nfsclient"/>
    <child type="nfsexport" forbid="1"/>
  </special>
  <special tag="other"><child type="ignored" start="x"/></special>
</resource-agent>`;

/** Replaces the first occurrence of `from` in the sample and parses the result. */
function parseVariant(from: string, to: string): () => unknown {
  expect(sample).toContain(from);
  return () => parseAgentMetadata(sample.replace(from, to));
}

function errorOf(run: () => unknown): AgentMetadataError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AgentMetadataError);
    return e as AgentMetadataError;
  }
  throw new Error('expected an AgentMetadataError');
}

describe('parseAgentMetadata', () => {
  const meta = parseAgentMetadata(sample);

  test('reads the agent and its descriptions (English preferred, whitespace folded)', () => {
    expect(meta.type).toBe('IPaddr2');
    expect(meta.version).toBe('1.1');
    expect(meta.shortDescription).toBe('Virtual IP');
    expect(meta.longDescription).toBe('Manages a virtual address.');
  });

  test('reads parameters with types, flags, defaults and options', () => {
    expect(meta.parameters.map((p) => p.name)).toEqual(['ip', 'cidr_netmask', 'family', 'nfslock']);
    const [ip, mask, family, nfslock] = meta.parameters;
    expect(ip).toMatchObject({ type: 'string', primary: true, unique: true, required: true });
    expect(ip!.reconfig).toBe(false);
    expect(mask).toMatchObject({ type: 'integer', defaultValue: '24', reconfig: true });
    expect(family).toMatchObject({ type: 'select', options: ['auto', 'inet6'] });
    expect(nfslock!.inherit).toBe('service%nfslock');
    expect(primaryParameterName(meta)).toBe('ip');
  });

  test('reads action durations in seconds and depths', () => {
    expect(meta.actions).toEqual([
      { name: 'start', timeoutS: 20, intervalS: undefined, depth: undefined },
      { name: 'monitor', timeoutS: 0.5, intervalS: 60, depth: 10 },
      { name: 'stop', timeoutS: 0, intervalS: undefined, depth: undefined },
      { name: 'meta-data', timeoutS: 5, intervalS: undefined, depth: undefined },
    ]);
  });

  test('reads only the rgmanager special block', () => {
    expect(meta.root).toBe(true);
    expect(meta.maxInstances).toBe(2);
    expect(meta.childTypes).toEqual([
      { type: 'fs', start: 2, stop: 8, forbid: false },
      { type: 'nfsclient', start: 0, stop: 0, forbid: false },
      { type: 'nfsexport', start: 0, stop: 0, forbid: true },
    ]);
  });

  test('an empty default of a non-string parameter means no default', () => {
    const m = parseAgentMetadata(sample.replace('default="24"', 'default=""'));
    expect(m.parameters[1]!.defaultValue).toBeUndefined();
    const s = parseAgentMetadata(
      sample.replace('<content type="string"/>', '<content type="string" default=""/>'),
    );
    expect(s.parameters[0]!.defaultValue).toBe('');
  });

  test('reads what installed OCF agents print: a DTD reference, extra action attributes', () => {
    const installed = parseAgentMetadata(`<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Example" version="0.9">
<version>1.0</version>
<longdesc lang="en">
Does nothing.
</longdesc>
<shortdesc lang="en">Example</shortdesc>
<parameters>
<parameter name="state" unique="1">
<longdesc lang="en">Where the state lives.</longdesc>
<shortdesc lang="en">State file</shortdesc>
<content type="string" default="/run/example.state" />
</parameter>
</parameters>
<actions>
<action name="start" timeout="90" />
<action name="monitor" timeout="20" interval="10" depth="0" start-delay="0" />
</actions>
</resource-agent>`);
    expect(installed.parameters[0]).toMatchObject({ name: 'state', unique: true, primary: false });
    expect(installed.actions[1]).toEqual({
      name: 'monitor',
      timeoutS: 20,
      intervalS: 10,
      depth: 0,
    });
  });

  test('an internal DTD subset is still refused', () => {
    expect(() =>
      parseAgentMetadata('<!DOCTYPE resource-agent [<!ENTITY x "y">]><resource-agent name="x"/>'),
    ).toThrow(XmlInputError);
  });

  test('the type can be set for installed OCF agents', () => {
    expect(parseAgentMetadata(sample, { type: 'ocf:heartbeat:IPaddr2' }).type).toBe(
      'ocf:heartbeat:IPaddr2',
    );
  });

  test('a type without special block is not a root and has no limits', () => {
    const plain = parseAgentMetadata('<resource-agent name="x"><parameters/></resource-agent>');
    expect(plain).toMatchObject({ root: false, maxInstances: undefined, childTypes: [] });
    expect(plain.version).toBe('1.0');
    expect(primaryParameterName(plain)).toBe('name');
  });
});

describe('malformed meta-data names the element and the rule', () => {
  test.each([
    [
      '<content type="integer" default="24"/>',
      '<content type="integer" default="wide"/>',
      '/resource-agent/parameters/parameter[2]/content/@default',
      'default-matches-type',
    ],
    [
      '<content type="string"/>',
      '<content type="str ing"/>',
      '/resource-agent/parameters/parameter[1]/content/@type',
      'parameter-type',
    ],
    [
      '<option value="auto"/><option value="inet6"/>',
      '',
      '/resource-agent/parameters/parameter[3]/content',
      'select-options',
    ],
    [
      'reconfig="1"',
      'reconfig="maybe"',
      '/resource-agent/parameters/parameter[2]/@reconfig',
      'flag-value',
    ],
    [
      'timeout="20s"',
      'timeout="20 parsecs"',
      '/resource-agent/actions/action[1]/@timeout',
      'action-duration',
    ],
    ['depth="10"', 'depth="-1"', '/resource-agent/actions/action[2]/@depth', 'action-depth'],
    [
      '<child type="fs" start="2" stop="8"/>',
      '<child type="fs" start="2"/>',
      '/resource-agent/special[1]/child[1]',
      'child-levels-paired',
    ],
    [
      'maxinstances="2"',
      'maxinstances="0"',
      '/resource-agent/special[1]/attributes/@maxinstances',
      'max-instances',
    ],
    [
      'name="cidr_netmask"',
      'name="ip"',
      '/resource-agent/parameters/parameter[2]/@name',
      'parameter-unique',
    ],
    [
      'name="family"',
      'name="family" primary="1"',
      '/resource-agent/parameters/parameter[3]/@primary',
      'single-primary',
    ],
    [
      '<parameter name="cidr_netmask" reconfig="1">\n      <content type="integer" default="24"/>',
      '<parameter name="cidr_netmask" reconfig="1">',
      '/resource-agent/parameters/parameter[2]/content',
      'parameter-content',
    ],
    [
      'inherit="service%nfslock"',
      'inherit="service%%"',
      '/resource-agent/parameters/parameter[4]/@inherit',
      'inherit-form',
    ],
  ])('%s → %s', (from, to, path, rule) => {
    const err = errorOf(parseVariant(from, to));
    expect(err.path).toBe(path);
    expect(err.rule).toBe(rule);
    expect(err.message.startsWith(`${path}: `)).toBe(true);
  });

  test('the root must be resource-agent with a name', () => {
    expect(errorOf(() => parseAgentMetadata('<agent name="x"/>')).rule).toBe('root-element');
    expect(errorOf(() => parseAgentMetadata('<resource-agent/>')).path).toBe(
      '/resource-agent/@name',
    );
  });

  test('text that is not XML is an XmlInputError', () => {
    expect(() => parseAgentMetadata('<resource-agent name="x">')).toThrow(XmlInputError);
  });
});

describe('parseOcfDurationMs', () => {
  test.each([
    ['20s', 20_000],
    ['20', 20_000],
    ['1m', 60_000],
    ['2min', 120_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['0', 0],
    [' 1.5s ', 1500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseOcfDurationMs(text)).toBe(ms);
  });

  test.each(['', 's', '10 parsecs', '-5s', '1e3'])('%j is not a duration', (text) => {
    expect(parseOcfDurationMs(text)).toBeUndefined();
  });
});
