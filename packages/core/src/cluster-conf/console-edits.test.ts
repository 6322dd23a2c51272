import { describe, expect, it } from 'vitest';
import { serializeXml } from '../xml/xml-serialize.js';
import { redactConfig, redactedConfigText } from './config-redact.js';
import { applyConsoleEdits, commitIssues, fieldOfPath } from './console-edits.js';
import { EditError } from './edit-model.js';
import { parseClusterConf } from './read.js';
import { startOrder } from './resource-order.js';
import { buildResourceTrees } from './resource-tree.js';
import { diffHunks, diffLines } from './text-diff.js';

const base = `<?xml version="1.0"?>
<cluster name="tcluster" config_version="7">
  <clusternodes>
    <clusternode name="node1" nodeid="1"/>
    <clusternode name="node2" nodeid="2"/>
  </clusternodes>
  <fencedevices>
    <fencedevice name="ipmi1" agent="fence_ipmilan" ipaddr="10.0.0.9" login="root" passwd="s3cret"/>
  </fencedevices>
  <rm>
    <failoverdomains/>
    <resources>
      <ip address="10.0.0.50" monitor_link="1"/>
    </resources>
    <service name="first"/>
    <service name="second" recovery="relocate">
      <ip ref="10.0.0.50"/>
    </service>
    <service name="third"/>
  </rm>
</cluster>
`;

function refusal(run: () => unknown): EditError {
  try {
    run();
  } catch (e) {
    if (e instanceof EditError) return e;
    throw e;
  }
  throw new Error('the edit was not refused');
}

describe('applyConsoleEdits', () => {
  it('makes one version of several steps: meatware assigned to every node', () => {
    const conf = parseClusterConf(base);
    const { conf: out } = applyConsoleEdits(conf, [
      { op: 'addFenceDevice', name: 'meatware', agent: 'fence_manual' },
      ...['node1', 'node2'].map((node) => ({
        op: 'setNodeFencing' as const,
        node,
        methods: [{ name: '1', devices: [{ device: 'meatware' }] }],
      })),
    ]);
    expect(out.configVersion).toBe(8);
    expect(out.nodes.map((n) => n.fenceMethods.map((m) => m.devices.map((d) => d.name)))).toEqual([
      [['meatware']],
      [['meatware']],
    ]);
  });

  it('keeps fence levels in the order given and replaces the old ones', () => {
    const conf = parseClusterConf(base);
    const twoLevels = applyConsoleEdits(conf, [
      { op: 'addFenceDevice', name: 'meatware', agent: 'fence_manual' },
      {
        op: 'setNodeFencing',
        node: 'node1',
        methods: [
          { name: 'power', devices: [{ device: 'ipmi1' }] },
          { name: 'manual', devices: [{ device: 'meatware', params: { nodename: 'node1' } }] },
        ],
      },
    ]).conf;
    const swapped = applyConsoleEdits(twoLevels, [
      {
        op: 'setNodeFencing',
        node: 'node1',
        methods: [
          { name: 'manual', devices: [{ device: 'meatware' }] },
          { name: 'power', devices: [{ device: 'ipmi1' }] },
        ],
      },
    ]).conf;
    expect(swapped.nodes[0]!.fenceMethods.map((m) => m.name)).toEqual(['manual', 'power']);
    expect(swapped.configVersion).toBe(9);
  });

  it('replaces a service tree in place: the service stays between its neighbours', () => {
    const conf = parseClusterConf(base);
    const { conf: out } = applyConsoleEdits(conf, [
      { op: 'updateService', name: 'second', attrs: { autostart: '0' } },
      {
        op: 'setServiceTree',
        service: 'second',
        tree: [
          {
            type: 'ip',
            ref: '10.0.0.50',
          },
          { type: 'script', params: { name: 'web', file: '/etc/init.d/httpd' } },
          {
            type: 'fs',
            params: { name: 'data', device: '/dev/sdb1', mountpoint: '/srv' },
            children: [{ type: 'script', params: { name: 'inner', file: '/bin/true' } }],
          },
        ],
      },
    ]);
    expect(out.rm!.services.map((s) => s.params.name)).toEqual(['first', 'second', 'third']);
    const tree = buildResourceTrees(out).trees.find((t) => t.primaryValue === 'second')!;
    // rgmanager's service starts fs before ip before script, whatever the tree's order.
    expect(startOrder(tree).map((n) => `${n.type}:${n.primaryValue}`)).toEqual([
      'service:second',
      'fs:data',
      'script:inner',
      'ip:10.0.0.50',
      'script:web',
    ]);
  });

  it('keeps the settings the tree editor does not show with each resource that stays', () => {
    const conf = parseClusterConf(
      base.replace(
        '<ip ref="10.0.0.50"/>',
        `<ip ref="10.0.0.50" __independent_subtree="1"><action name="status" interval="20s"/></ip>
      <script name="web" file="/etc/init.d/httpd" __max_failures="3"/>`,
      ),
    );
    // The script moves first and the ip goes below nothing new; an fs is added.
    const { conf: out } = applyConsoleEdits(conf, [
      {
        op: 'setServiceTree',
        service: 'second',
        tree: [
          { type: 'script', params: { name: 'web', file: '/etc/init.d/httpd' } },
          { type: 'fs', params: { name: 'data', device: '/dev/sdb1', mountpoint: '/srv' } },
          { type: 'ip', ref: '10.0.0.50' },
        ],
      },
    ]);
    const second = out.rm!.services.find((s) => s.params.name === 'second')!;
    const [script, fs, ip] = second.children;
    expect(script?.internals).toEqual({ __max_failures: '3' });
    expect(fs?.internals).toEqual({});
    expect(ip?.internals).toEqual({ __independent_subtree: '1' });
    expect(ip?.actions.map((a) => [a.name, a.interval])).toEqual([['status', '20s']]);
  });

  it('refuses to delete a device in use and names the node', () => {
    const conf = applyConsoleEdits(parseClusterConf(base), [
      {
        op: 'setNodeFencing',
        node: 'node2',
        methods: [{ name: '1', devices: [{ device: 'ipmi1' }] }],
      },
    ]).conf;
    const error = refusal(() =>
      applyConsoleEdits(conf, [{ op: 'deleteFenceDevice', name: 'ipmi1' }]),
    );
    expect(error.reason).toContain('used by node2');
  });

  it('refuses a duplicate name at the name field', () => {
    const error = refusal(() =>
      applyConsoleEdits(parseClusterConf(base), [
        { op: 'addFenceDevice', name: 'ipmi1', agent: 'fence_apc' },
      ]),
    );
    expect(fieldOfPath(error.path)).toBe('name');
  });

  it('refuses a fence device without a parameter its agent requires, at that field', () => {
    const error = refusal(() =>
      applyConsoleEdits(parseClusterConf(base), [
        { op: 'addFenceDevice', name: 'apc', agent: 'fence_apc', params: { ipaddr: '10.0.0.8' } },
      ]),
    );
    expect(error.path).toBe('/cluster/fencedevices/fencedevice[2]/@login');
    expect(error.reason).toContain('missing-fence-parameter');
  });

  it('refuses a resource with a bad value at that field', () => {
    const error = refusal(() =>
      applyConsoleEdits(parseClusterConf(base), [
        { op: 'addResource', type: 'ip', params: { address: '10.0.0.300' } },
      ]),
    );
    expect(fieldOfPath(error.path)).toBe('address');
  });

  it('refuses an empty edit list', () => {
    expect(refusal(() => applyConsoleEdits(parseClusterConf(base), [])).reason).toContain(
      'no change',
    );
  });

  it('leaves a committable config committable', () => {
    const { conf } = applyConsoleEdits(parseClusterConf(base), [
      { op: 'addResource', type: 'script', params: { name: 'web', file: '/etc/init.d/httpd' } },
    ]);
    expect(commitIssues(conf)).toEqual([]);
  });
});

describe('redaction', () => {
  it('hides fence passwords and marks a changed one', () => {
    const before = parseClusterConf(base);
    expect(redactedConfigText(before.doc)).not.toContain('s3cret');
    const after = applyConsoleEdits(before, [
      { op: 'updateFenceDevice', name: 'ipmi1', params: { passwd: 'n3w' } },
    ]).conf;
    const text = serializeXml(redactConfig(after.doc, before.doc));
    expect(text).toContain('passwd="******** (changed)"');
    expect(text).not.toContain('n3w');
  });
});

describe('diff', () => {
  it('shows removed before added lines, with context, and nothing for equal texts', () => {
    const oldText = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const newText = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(diffHunks(oldText, oldText)).toEqual([]);
    const [hunk] = diffHunks(oldText, newText, 1);
    expect(hunk!.lines.map((l) => `${l.kind}:${l.text}`)).toEqual([
      'same:d',
      'removed:e',
      'added:E',
      'same:f',
    ]);
    expect(diffLines('x\n', 'x\ny\n').at(-1)).toEqual({ kind: 'added', text: 'y', newLine: 2 });
  });
});
