import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_NAMES,
  quorate,
  type RealAgents,
  startRealAgents,
} from '../../testing/real-agents.js';
import type { TestBrowser } from '../../testing/test-console.js';
import type { ClusterLink, ClusterSnapshot } from '../cluster-link/cluster-link.js';

// Three real agents in this process on loopback (127.0.0.1), never a test-host address, and a
// console that reaches them through AgentClusterLinks, driven with inject.
const CLUSTER = 'cfgtest';
let agents: RealAgents;
let admin: TestBrowser;
let link: ClusterLink;

const conf = `<?xml version="1.0"?>
<cluster name="${CLUSTER}" config_version="1">
  <clusternodes>
${AGENT_NAMES.map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>`).join('\n')}
  </clusternodes>
  <fencedevices>
    <fencedevice name="ipmi" agent="fence_ipmilan" ipaddr="192.0.2.9" login="root" passwd="s3cret-pw"/>
  </fencedevices>
  <rm>
    <failoverdomains/>
    <resources/>
    <service name="before" autostart="0"/>
    <service name="after" autostart="0"/>
  </rm>
</cluster>
`;

const snapshotWhere = (match: (s: ClusterSnapshot) => boolean) => agents.snapshotWhere(match);

beforeAll(async () => {
  agents = await startRealAgents(CLUSTER, conf);
  admin = agents.admin;
  link = agents.link;
}, 120_000);

afterAll(async () => {
  await agents?.close();
});

const path = (end = '') => `/api/clusters/${CLUSTER}/config${end}`;

async function committedVersion(): Promise<number> {
  return (await link.config())!.version;
}

const meatwareEverywhere = [
  { op: 'addFenceDevice', name: 'meatware', agent: 'fence_manual' },
  ...AGENT_NAMES.map((node) => ({
    op: 'setNodeFencing',
    node,
    methods: [{ name: '1', devices: [{ device: 'meatware' }] }],
  })),
];

describe('the configuration editor against real agents', () => {
  it('reads the committed file with its secrets redacted, and the forms of every agent', async () => {
    const response = await admin.call('GET', path());
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.version).toBe(1);
    expect(view.text).toContain('passwd="********"');
    expect(response.body).not.toContain('s3cret-pw');
    expect(view.canEdit).toBe(true);
    const ip = view.resourceAgents.find((a: { type: string }) => a.type === 'ip');
    expect(ip.parameters.find((p: { name: string }) => p.name === 'address')).toMatchObject({
      primary: true,
    });
    expect(view.fenceAgents.map((a: { agent: string }) => a.agent)).toContain('fence_manual');
    // An installed agent the built-in list lacks is described by its own metadata.
    if (existsSync('/usr/sbin/fence_dummy')) {
      const dummy = view.fenceAgents.find((a: { agent: string }) => a.agent === 'fence_dummy');
      expect(dummy?.shortDescription).toBe('Dummy fence agent');
      expect(dummy?.deviceParameters.map((p: { name: string }) => p.name)).toContain('status_file');
    }
  });

  it('previews a change as the new file and its diff, and sends nothing', async () => {
    const response = await admin.call('POST', path('/preview'), {
      baseVersion: 1,
      edits: meatwareEverywhere,
    });
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json();
    expect(preview).toMatchObject({ baseVersion: 1, version: 2, committed: false });
    const added = preview.hunks.flatMap((h: { lines: { kind: string; text: string }[] }) =>
      h.lines.filter((l) => l.kind === 'added').map((l) => l.text.trim()),
    );
    expect(added).toContain('<fencedevice name="meatware" agent="fence_manual"/>');
    expect(added.filter((l: string) => l === '<device name="meatware"/>')).toHaveLength(3);
    expect(await committedVersion()).toBe(1);
  });

  it('refuses bad input at the field and sends nothing', async () => {
    const response = await admin.call('POST', path('/commit'), {
      baseVersion: 1,
      edits: [{ op: 'addResource', type: 'ip', params: { address: '10.1.2.300' } }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'CONSOLE_INVALID_REQUEST',
      field: '/cluster/rm/resources/ip[1]/@address',
    });
    const missing = await admin.call('POST', path('/commit'), {
      baseVersion: 1,
      edits: [{ op: 'addFenceDevice', name: 'apc', agent: 'fence_apc', params: { ipaddr: 'pdu' } }],
    });
    expect(missing.json().error.field).toBe('/cluster/fencedevices/fencedevice[2]/@login');
    expect(await committedVersion()).toBe(1);
  });

  it('commits fencing, resources and a service as one new version, and audits it', async () => {
    // The agents' first meta-data run (every installed OCF agent) can cost the cluster its
    // quorum for a moment on a busy machine; a change is refused until it is back.
    await snapshotWhere(quorate);
    const response = await admin.call('POST', path('/commit'), {
      baseVersion: 1,
      edits: [
        ...meatwareEverywhere,
        { op: 'addResource', type: 'ip', params: { address: '10.1.2.3', monitor_link: '1' } },
        { op: 'addResource', type: 'script', params: { name: 'web', file: '/etc/init.d/web' } },
        { op: 'addService', name: 'webservice', attrs: { autostart: '0', recovery: 'relocate' } },
        {
          op: 'setServiceTree',
          service: 'webservice',
          tree: [
            { type: 'ip', ref: '10.1.2.3' },
            { type: 'script', ref: 'web' },
          ],
        },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ version: 2, committed: true });
    await snapshotWhere((s) => s.status.cluster.configVersion === 2);
    const { entries } = (await admin.call('GET', '/api/audit?limit=1')).json();
    expect(entries[0]).toMatchObject({ action: 'config.update', cluster: CLUSTER, result: 'ok' });
    expect(entries[0].target).toContain('addService webservice');
  });

  it('keeps a secret the browser never saw, and edits a service in its place', async () => {
    await snapshotWhere(quorate);
    const response = await admin.call('POST', path('/commit'), {
      baseVersion: 2,
      edits: [
        { op: 'updateFenceDevice', name: 'ipmi', params: { ipaddr: '192.0.2.10' } },
        { op: 'updateService', name: 'before', attrs: { recovery: 'disable' } },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).not.toContain('s3cret-pw');
    await snapshotWhere((s) => s.status.cluster.configVersion === 3);
    const text = (await link.config())!.text;
    expect(text).toContain('ipaddr="192.0.2.10" login="root" passwd="s3cret-pw"');
    const services = [...text.matchAll(/<service name="([^"]+)"/g)].map((m) => m[1]);
    expect(services).toEqual(['before', 'after', 'webservice']);
  });

  it('refuses to delete a device in use, naming its users', async () => {
    const response = await admin.call('POST', path('/preview'), {
      baseVersion: 3,
      edits: [{ op: 'deleteFenceDevice', name: 'meatware' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('used by node1, node2, node3');
  });

  it('refuses a stale edit, naming both versions', async () => {
    const response = await admin.call('POST', path('/commit'), {
      baseVersion: 2,
      edits: [{ op: 'deleteService', name: 'after' }],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'CONSOLE_CONFLICT', field: 'baseVersion' });
    expect(response.json().error.message).toContain('version 3 is committed now');
    expect(await committedVersion()).toBe(3);
  });

  it('lets a viewer read but not change the configuration', async () => {
    const viewer = await agents.luci.asUser('viewer', { [CLUSTER]: ['view'] });
    const view = await viewer.call('GET', path());
    expect(view.statusCode).toBe(200);
    expect(view.json().canEdit).toBe(false);
    const refused = await viewer.call('POST', path('/preview'), {
      baseVersion: 3,
      edits: [{ op: 'deleteService', name: 'after' }],
    });
    expect(refused.statusCode).toBe(403);
  });
});
