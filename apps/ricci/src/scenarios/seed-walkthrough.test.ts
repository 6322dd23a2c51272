// The seed walkthrough (../shared/seed/, RHEL 5 RHCS) on three test hosts, with the commands as
// the seed types them, in order: ccs_tool builds cluster.conf on node1 (create, addfence
// meatware fence_manual, three addnode); the agents start one by one and the first waits for
// quorum; the others receive the file and start their resource managers with it (the seed's
// `service rgmanager start`); clustat and cman_tool status show the formed cluster; the
// webservice (ip + script) is added by editing cluster.conf and proposing it, and starts;
// clusvcadm relocates it, -l makes a relocation fail, -u lets it succeed; clustat -x parses as
// XML. Then the meatware fence: the owner's host loses power, recovery waits for
// fence_ack_manual, which is refused for a live member and, given for the dead node, lets the
// service start elsewhere.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eSkipReason } from '@quorate/e2e';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../testing/agent-events.js';
import {
  quorumIs,
  ScenarioCluster,
  serviceState,
  WEB_PORT,
} from '../../testing/scenario-cluster.js';
import { writeWebService } from '../../testing/web-service.js';

const skip = e2eSkipReason();
const NODES = ['node1.magedu.com', 'node2.magedu.com', 'node3.magedu.com'];
const [NODE1, NODE2, NODE3] = NODES as [string, string, string];
const SERVICE = 'service:webservice';
const WAIT_MS = 30_000;
const TEST_MS = 90_000;

const applied = (version: number) => (event: LogEvent) =>
  event.event === 'config-applied' && event.version === version;

/** The member line of `node` in clustat's table: its status words. */
function memberStatus(clustat: string, node: string, id: number): string | undefined {
  const escaped = node.replace(/[.]/g, '\\.');
  return new RegExp(`^ ${escaped} +${id} (.+)$`, 'm').exec(clustat)?.[1]?.trim();
}

describe.skipIf(skip)('the seed walkthrough on test hosts', () => {
  let cluster: ScenarioCluster;
  let floating = '';
  let owner = '';
  const page = (node: string) => `hello from ${cluster.hostName(node)}`;
  const others = (node: string) => NODES.filter((name) => name !== node);

  /** clusvcadm -r on `from` (to `target`, when given), and the started record that follows. */
  const relocate = async (from: string, target?: string) => {
    const mark = cluster.mark(from);
    const args = ['-r', 'webservice', ...(target === undefined ? [] : ['-m', target])];
    const result = await cluster.command(from, 'clusvcadm', args);
    const moved =
      result.status === 0 ? /is now running on (\S+)/.exec(result.stdout)?.[1] : undefined;
    if (moved !== undefined) {
      await cluster.waitFor(from, serviceState(SERVICE, 'started', moved), mark);
      owner = moved;
    }
    return result;
  };

  beforeAll(async () => {
    cluster = await ScenarioCluster.create({
      clusterName: 'tcluster',
      nodeNames: NODES,
      waitMs: WAIT_MS,
    });
    floating = `${cluster.network.subnet}.222`;
  }, 60_000);

  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);

  it(
    'ccs_tool builds cluster.conf on node1 as the seed types it',
    async () => {
      const ccs = (...args: string[]) => cluster.command(NODE1, 'ccs_tool', args);
      expect((await ccs('create', 'tcluster')).status).toBe(0);
      expect((await ccs('addfence', 'meatware', 'fence_manual')).status).toBe(0);
      for (const [i, node] of NODES.entries()) {
        const added = await ccs('addnode', '-v', '1', '-n', String(i + 1), '-f', 'meatware', node);
        expect(added).toMatchObject({ status: 0, stderr: '' });
      }
      const lsnode = await ccs('lsnode');
      expect(lsnode.stdout).toBe(
        '\nCluster name: tcluster, config_version: 5\n\n' +
          'Nodename                        Votes Nodeid Fencetype\n' +
          'node1.magedu.com                   1    1    meatware\n' +
          'node2.magedu.com                   1    2    meatware\n' +
          'node3.magedu.com                   1    3    meatware\n',
      );
      expect((await ccs('lsfence')).stdout).toBe(
        'Name             Agent\nmeatware         fence_manual\n',
      );
      // Only node1 has the file; the others receive it when their agents start.
      for (const node of [NODE2, NODE3]) {
        expect(() => readFileSync(join(cluster.configDir(node), 'cluster.conf'))).toThrow(/ENOENT/);
      }
    },
    TEST_MS,
  );

  it(
    'agents start one by one: node1 waits for quorum until node2 joins; the others receive cluster.conf',
    async () => {
      const first = cluster.start(NODE1);
      await cluster.waitFor(NODE1, (e) => e.event === 'started');
      // Alone, node1 is one vote of the three it needs two of: cman's "Activity blocked".
      expect((await cluster.command(NODE1, 'clustat', ['-Q'])).status).toBe(1);
      const alone = await cluster.command(NODE1, 'cman_tool', ['status']);
      expect(alone.stdout).toMatch(/^Quorum: 2 Activity blocked$/m);
      expect(alone.stdout).toMatch(/^Total votes: 1$/m);
      expect(first.exitStatusIfExited).toBeUndefined();

      cluster.start(NODE2);
      await cluster.waitFor(NODE1, quorumIs(true));
      const received = await cluster.waitFor(NODE2, applied(5));
      expect(received.written).toBe(true);
      cluster.start(NODE3);
      await cluster.waitFor(NODE3, quorumIs(true));
      expect((await cluster.waitFor(NODE3, applied(5))).written).toBe(true);
      const node1File = readFileSync(join(cluster.configDir(NODE1), 'cluster.conf'), 'utf8');
      expect(readFileSync(join(cluster.configDir(NODE3), 'cluster.conf'), 'utf8')).toBe(node1File);
    },
    TEST_MS,
  );

  it('clustat on node2 shows three members Online and Quorate; cman_tool status on node3 shows Nodes 3, Expected votes 3, Total votes 3, Quorum 2', async () => {
    const clustat = await cluster.command(NODE2, 'clustat', []);
    expect(clustat).toMatchObject({ status: 0, stderr: '' });
    expect(clustat.stdout).toMatch(/^Cluster Status for tcluster @ /);
    expect(clustat.stdout).toContain('Member Status: Quorate\n');
    expect(
      NODES.map((node, i) => memberStatus(clustat.stdout, node, i + 1)?.split(',')[0]),
    ).toEqual(['Online', 'Online', 'Online']);
    expect(memberStatus(clustat.stdout, NODE2, 2)).toMatch(/^Online, Local\b/);

    const status = await cluster.command(NODE3, 'cman_tool', ['status']);
    expect(status.status).toBe(0);
    for (const line of [
      'Config Version: 5',
      'Cluster Name: tcluster',
      'Nodes: 3',
      'Expected votes: 3',
      'Total votes: 3',
      'Node votes: 1',
      'Node name: node3.magedu.com',
      'Node ID: 3',
    ]) {
      expect(status.stdout).toMatch(new RegExp(`^${line}$`, 'm'));
    }
    expect(status.stdout).toMatch(/^Quorum: 2\s*$/m);
  });

  it(
    'node2 and node3 start the resource manager with the cluster.conf they received: clustat shows rgmanager on every member',
    async () => {
      // As the seed's `service rgmanager start` on every node, once cman had synced the file.
      for (const node of [NODE2, NODE3]) {
        await cluster.waitFor(node, (e) => e.event === 'resource-manager-started');
        await cluster.quorate(node);
      }
      // The resource manager starts with a new incarnation: wait until node2 sees all three.
      const mark = cluster.mark(NODE2);
      const allThree = (e: LogEvent) =>
        e.event === 'membership-changed' && (e.members as string[]).length === 3;
      if (
        !allThree(
          cluster
            .events(NODE2)
            .filter((e) => e.event === 'membership-changed')
            .at(-1) ?? { event: '' },
        )
      ) {
        await cluster.waitFor(NODE2, allThree, mark);
      }
      const clustat = await cluster.command(NODE2, 'clustat', []);
      expect(memberStatus(clustat.stdout, NODE1, 1)).toBe('Online, rgmanager');
      expect(memberStatus(clustat.stdout, NODE2, 2)).toBe('Online, Local, rgmanager');
      expect(memberStatus(clustat.stdout, NODE3, 3)).toBe('Online, rgmanager');
    },
    TEST_MS,
  );

  it(
    'webservice (ip + script), added to cluster.conf by hand and sent with ccs_tool update, starts, and the client gets its page',
    async () => {
      const script = writeWebService(cluster.dir, `${floating} ${WEB_PORT}`);
      const path = join(cluster.configDir(NODE1), 'cluster.conf');
      const edited = readFileSync(path, 'utf8')
        .replace('config_version="5"', 'config_version="6"')
        .replace(
          '<resources/>',
          `<resources>
      <ip address="${floating}" monitor_link="1"/>
      <script name="webserver" file="${script}"/>
    </resources>
    <service name="webservice" autostart="1" recovery="restart">
      <ip ref="${floating}"/>
      <script ref="webserver"/>
    </service>`,
        );
      writeFileSync(path, edited);
      const marks = NODES.map((node) => cluster.mark(node));
      const update = await cluster.command(NODE1, 'ccs_tool', [
        'update',
        '/etc/cluster/cluster.conf',
      ]);
      expect(update).toMatchObject({
        status: 0,
        stdout: 'Config file updated from version 5 to 6\n',
      });
      const first = await cluster.waitFor(NODE1, serviceState(SERVICE, 'started'), marks[0]);
      owner = String(first.owner);
      for (const [i, node] of NODES.entries()) {
        await cluster.waitFor(node, serviceState(SERVICE, 'started', owner), marks[i]);
      }
      expect(await cluster.fetchPage(floating)).toBe(page(owner));
      const clustat = await cluster.command(NODE2, 'clustat', []);
      expect(clustat.stdout).toMatch(
        new RegExp(`^ ${SERVICE} +${owner.replace(/\./g, '\\.')} +started\\s*$`, 'm'),
      );
    },
    TEST_MS,
  );

  it(
    "clusvcadm -r webservice -m node1.magedu.com moves it to node1, and the client gets node1's page",
    async () => {
      if (owner === NODE1) {
        // The seed's other form first: without -m, the service goes to some other node.
        const away = await relocate(NODE3);
        expect(away.stdout).toMatch(
          /^Trying to relocate service:webservice\.\.\.Success\nservice:webservice is now running on node[23]\.magedu\.com\n$/,
        );
      }
      const moved = await relocate(NODE3, NODE1);
      expect(moved).toEqual({
        status: 0,
        stdout:
          'Trying to relocate service:webservice to node1.magedu.com...Success\n' +
          'service:webservice is now running on node1.magedu.com\n',
        stderr: '',
      });
      expect(await cluster.fetchPage(floating)).toBe(page(NODE1));
    },
    TEST_MS,
  );

  it(
    "clusvcadm -l makes relocation fail with RHCS's message; clusvcadm -u lets it succeed",
    async () => {
      expect(await cluster.command(NODE3, 'clusvcadm', ['-l'])).toMatchObject({
        status: 0,
        stdout: 'Resource groups locked\n',
      });
      for (const target of others(owner)) {
        const refused = await cluster.command(NODE3, 'clusvcadm', [
          '-r',
          'webservice',
          '-m',
          target,
        ]);
        expect(refused.stdout).toBe(
          `Trying to relocate service:webservice to ${target}...Failure\n`,
        );
        expect(refused.status).toBe(255);
      }
      expect(await cluster.fetchPage(floating)).toBe(page(owner));
      expect((await cluster.command(NODE3, 'clusvcadm', ['-u'])).stdout).toBe(
        'Resource groups unlocked\n',
      );
      const target = others(owner)[0] as string;
      const moved = await relocate(NODE3, target);
      expect(moved.stdout).toBe(
        `Trying to relocate service:webservice to ${target}...Success\n` +
          `service:webservice is now running on ${target}\n`,
      );
      expect(await cluster.fetchPage(floating)).toBe(page(target));
    },
    TEST_MS,
  );

  it(
    'clustat -x prints XML that parses, with the members, quorum and the service',
    async () => {
      const xml = await cluster.command(NODE1, 'clustat', ['-x']);
      expect(xml.status).toBe(0);
      expect(XMLValidator.validate(xml.stdout)).toBe(true);
      const parsed = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        parseTagValue: false,
        isArray: (name) => name === 'node' || name === 'group',
      }).parse(xml.stdout);
      const clustat = parsed.clustat;
      expect(clustat.cluster.name).toBe('tcluster');
      expect(clustat.quorum.quorate).toBe('1');
      const nodes = clustat.nodes.node as Array<Record<string, string>>;
      expect(nodes.map((n) => [n.name, n.state, n.local, n.rgmanager])).toEqual([
        [NODE1, '1', '1', '1'],
        [NODE2, '1', '0', '1'],
        [NODE3, '1', '0', '1'],
      ]);
      const groups = clustat.groups.group as Array<Record<string, string>>;
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ name: SERVICE, state: '112', state_str: 'started', owner });
    },
    TEST_MS,
  );

  it(
    'meatware: the owner loses power; recovery waits for fence_ack_manual, refused for a live member, then the service starts elsewhere',
    async () => {
      const victim = owner;
      const survivor = others(victim)[0] as string;
      const mark = cluster.mark(survivor);
      await cluster.network.powerOff(cluster.hostName(victim));
      const waiting = await cluster.waitFor(
        survivor,
        (e) => e.event === 'fence-waiting-ack' && e.victim === victim,
        mark,
      );
      expect(waiting.method).toBe('single');
      // Recovery waits: a request for the victim's service is refused until the fence is done.
      const pending = await cluster.command(survivor, 'clusvcadm', ['-r', 'webservice']);
      expect(pending.stdout).toBe(
        'Trying to relocate service:webservice...Fencing operation pending; try again later\n',
      );
      expect(pending.status).toBe(256 - 13);
      const recovered = (e: LogEvent) => serviceState(SERVICE, 'started')(e) && e.owner !== victim;
      expect(cluster.events(survivor).slice(mark).some(recovered)).toBe(false);

      const live = others(victim)[1] as string;
      const refused = await cluster.command(
        survivor,
        'fence_ack_manual',
        ['-n', live],
        'absolutely\n',
      );
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`${live} is a member of the cluster`);

      const ack = await cluster.command(
        survivor,
        'fence_ack_manual',
        ['-n', victim],
        'absolutely\n',
      );
      expect(ack).toMatchObject({ status: 0 });
      expect(ack.stdout).toMatch(/Done\n$/);
      const started = await cluster.waitFor(survivor, recovered, mark);
      const log = cluster.events(survivor).slice(mark);
      const fenced = log.findIndex((e) => e.event === 'fence-succeeded' && e.victim === victim);
      expect(fenced).toBeGreaterThanOrEqual(0);
      expect(fenced).toBeLessThan(log.findIndex(recovered));
      owner = String(started.owner);
      expect(await cluster.fetchPage(floating)).toBe(page(owner));
    },
    TEST_MS,
  );
});
