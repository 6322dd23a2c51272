import { describe, expect, test } from 'vitest';
import { builtinAgentCatalog, builtinMetadataXml, catalogWith } from './catalog.js';
import type { AgentMetadata } from './model.js';
import { parseAgentMetadata } from './parse.js';

function meta(type: string): AgentMetadata {
  const found = builtinAgentCatalog.get(type);
  if (!found) throw new Error(`no built-in ${type}`);
  return found;
}

/** A parameter's flags the way rg_test printed them. */
function flags(type: string, name: string): string {
  const p = meta(type).parameters.find((x) => x.name === name);
  if (!p) throw new Error(`${type} has no parameter ${name}`);
  const out: string[] = [];
  if (p.primary) out.push('primary');
  if (p.unique) out.push('unique');
  if (p.required) out.push('required');
  if (p.reconfig) out.push('reconfig');
  if (p.inherit !== undefined) out.push(`inherit("${p.inherit}")`);
  return out.join(' ');
}

describe('built-in catalog', () => {
  test('holds the eleven rgmanager types', () => {
    expect([...builtinAgentCatalog.keys()].sort()).toEqual(
      [
        'clusterfs',
        'fs',
        'ip',
        'lvm',
        'netfs',
        'nfsclient',
        'nfsexport',
        'script',
        'service',
        'smb',
        'vm',
      ].sort(),
    );
    for (const [type, m] of builtinAgentCatalog) expect(m.type).toBe(type);
  });

  // The corpus .expected files are what rgmanager printed for these flags.
  test.each([
    ['service', 'name', 'primary unique required'],
    ['ip', 'address', 'primary unique'],
    ['ip', 'monitor_link', ''],
    ['ip', 'nfslock', 'inherit("service%nfslock")'],
    ['fs', 'name', 'primary'],
    ['fs', 'mountpoint', 'unique required'],
    ['fs', 'device', 'unique required'],
    ['fs', 'fstype', ''],
    ['script', 'name', 'primary unique'],
    ['script', 'file', 'unique required'],
    ['nfsclient', 'name', 'primary unique'],
    ['nfsclient', 'target', 'required'],
    ['nfsclient', 'path', 'inherit("path")'],
    ['nfsclient', 'options', ''],
    ['nfsexport', 'name', 'primary'],
    ['nfsexport', 'device', 'inherit("device")'],
    ['nfsexport', 'path', 'inherit("mountpoint")'],
  ])('%s %s is [%s]', (type, name, expected) => {
    expect(flags(type, name)).toBe(expected);
  });

  test('roots and instance limits', () => {
    const roots = [...builtinAgentCatalog.values()].filter((m) => m.root).map((m) => m.type);
    expect(roots.sort()).toEqual(['service', 'vm']);
    for (const type of ['service', 'vm', 'ip', 'fs']) expect(meta(type).maxInstances).toBe(1);
    for (const type of ['script', 'clusterfs', 'nfsexport', 'nfsclient']) {
      expect(meta(type).maxInstances).toBeUndefined();
    }
  });

  test("service orders its children's types", () => {
    const levels = meta('service').childTypes.map((c) => `${c.type} ${c.start}/${c.stop}`);
    expect(levels).toEqual([
      'lvm 1/9',
      'fs 2/8',
      'clusterfs 3/7',
      'netfs 4/6',
      'nfsexport 5/5',
      'nfsclient 6/4',
      'ip 7/2',
      'smb 8/3',
      'script 9/1',
    ]);
  });

  test('local file systems take NFS exports, NFS mounts refuse them, exports take clients', () => {
    for (const type of ['fs', 'clusterfs']) {
      const nfs = meta(type).childTypes.find((c) => c.type === 'nfsexport');
      expect(nfs?.forbid, type).toBe(false);
    }
    for (const type of ['nfsexport', 'nfsclient']) {
      expect(meta('netfs').childTypes.find((c) => c.type === type)?.forbid, type).toBe(true);
    }
    const clients = meta('nfsexport').childTypes.find((c) => c.type === 'nfsclient');
    expect(clients).toEqual({ type: 'nfsclient', start: 0, stop: 0, forbid: false });
    expect(meta('script').childTypes).toEqual([]);
  });

  // The console builds its forms from this data.
  test('every parameter has a type, descriptions, and a default unless it is required or names the resource', () => {
    for (const m of builtinAgentCatalog.values()) {
      expect(m.shortDescription, m.type).not.toBe('');
      expect(m.longDescription, m.type).not.toBe('');
      for (const p of m.parameters) {
        const where = `${m.type}.${p.name}`;
        expect(['string', 'integer', 'boolean', 'select'], where).toContain(p.type);
        expect(p.shortDescription, where).not.toBe('');
        expect(p.longDescription, where).not.toBe('');
        if (!p.required && !p.primary) {
          expect(p.defaultValue, where).toBeDefined();
        }
      }
      expect(
        m.parameters.filter((p) => p.primary),
        m.type,
      ).toHaveLength(1);
      for (const action of ['start', 'stop', 'status', 'meta-data']) {
        expect(
          m.actions.some((a) => a.name === action),
          `${m.type} ${action}`,
        ).toBe(true);
      }
    }
  });

  test('the shipped text is the parsed data', () => {
    expect(parseAgentMetadata(builtinMetadataXml.fs!)).toEqual(meta('fs'));
  });
});

describe('catalogWith', () => {
  const ipaddr2 = parseAgentMetadata(
    '<resource-agent name="IPaddr2"><parameters><parameter name="ip" primary="1"><content type="string"/></parameter></parameters></resource-agent>',
    { type: 'ocf:heartbeat:IPaddr2' },
  );

  test('adds installed agents beside the built-ins', () => {
    const catalog = catalogWith([ipaddr2]);
    expect(catalog.get('ocf:heartbeat:IPaddr2')).toBe(ipaddr2);
    expect(catalog.get('fs')).toBe(builtinAgentCatalog.get('fs'));
    expect(builtinAgentCatalog.has('ocf:heartbeat:IPaddr2')).toBe(false);
  });

  test('an installed agent replaces a built-in of its type', () => {
    const ownIp = { ...ipaddr2, type: 'ip' };
    expect(catalogWith([ownIp]).get('ip')).toBe(ownIp);
  });

  test('one type given twice is refused', () => {
    expect(() => catalogWith([ipaddr2, ipaddr2])).toThrow(/ocf:heartbeat:IPaddr2 is given twice/);
  });
});
