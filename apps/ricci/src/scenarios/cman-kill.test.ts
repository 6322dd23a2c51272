// `cman_tool kill -n NODE` on three test hosts, every node fenced through fence_testhost (the
// harness powers the host off). In order:
// - killing webservice's owner from another node: the owner's agent logs who killed it and exits
//   at once with its killed status, without the goodbye of a clean leave; the survivors see it
//   lost (not left), fence it, and recover webservice elsewhere — the committed log has the fence
//   before the recovery, and the client gets the new owner's page;
// - killing a node outside the configuration, or one that is no longer a member, is refused with
//   cman_tool's words and exit status 1;
// - `fence_node OWNER` typed on a third node: the leader fences the live owner at once (its loss
//   recorded as requested), webservice recovers elsewhere, and the owner is fenced once, not again
//   when it drops out of the membership; `fence_node LEADER` is refused.
import { e2eSkipReason, type FenceControl } from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../testing/agent-events.js';
import { committedCommands, serviceRecords } from '../../testing/committed-log.js';
import {
  type FencedWebCluster,
  fencedWebConf,
  startFencedWebCluster,
} from '../../testing/fenced-web-cluster.js';
import { type ScenarioCluster, serviceState } from '../../testing/scenario-cluster.js';
import { KILLED_EXIT_STATUS } from '../daemon/kill-request.js';

const skip = e2eSkipReason();
const NODES = ['node1', 'node2', 'node3'];
const SERVICE = 'service:webservice';
const WAIT_MS = 30_000;
const TEST_MS = 120_000;

const clusterConf = fencedWebConf({
  clusterName: 'killing',
  nodes: NODES.map((name) => ({ name, device: 'testhost' })),
  devices: [{ name: 'testhost' }],
});

describe.skipIf(skip)('cman_tool kill and fence_node on test hosts', () => {
  let web: FencedWebCluster | undefined;
  let cluster: ScenarioCluster;
  let fence: FenceControl;
  let floating = '';
  let owner = '';
  let victim = '';
  const others = (node: string) => NODES.filter((name) => name !== node);
  const stateDir = (node: string) => cluster.host(node).paths.mounts['/var/lib/quorate'];
  const leaderSeenBy = (node: string) =>
    String(cluster.events(node).findLast((e) => e.event === 'leader-changed')?.leader);
  const offRequests = (host: string) =>
    fence.requests.filter((r) => r.action === 'off' && r.host === host).length;

  beforeAll(async () => {
    web = await startFencedWebCluster({
      clusterName: 'killing',
      nodeNames: NODES,
      waitMs: WAIT_MS,
      clusterConf,
    });
    ({ cluster, fence, floating, owner } = web);
  }, 60_000);

  afterAll(async () => {
    await web?.close();
  }, 60_000);

  it(
    "cman_tool kill -n OWNER: the owner's agent exits without a goodbye, the survivors fence it and recover webservice elsewhere",
    async () => {
      victim = owner;
      const [killer, survivor] = others(victim) as [string, string];
      const marks = new Map(NODES.map((node) => [node, cluster.mark(node)]));
      await cluster.quorate(killer);

      const kill = await cluster.command(killer, 'cman_tool', ['kill', '-n', victim]);
      expect(kill).toEqual({ status: 0, stdout: '', stderr: '' });

      const killed = await cluster.waitFor(victim, (e) => e.event === 'killed', marks.get(victim));
      expect(killed.from).toBe(killer);
      expect(await cluster.agent(victim).waitForExit(WAIT_MS)).toEqual({
        code: KILLED_EXIT_STATUS,
        signal: null,
      });
      // Nothing after the kill: no leave, no service stopped on the way out.
      expect(cluster.events(victim).at(-1)?.event).toBe('killed');
      expect(
        cluster
          .events(victim)
          .slice(marks.get(victim))
          .some((e) => e.event === 'leaving'),
      ).toBe(false);

      for (const node of [killer, survivor]) {
        const change = await cluster.waitFor(
          node,
          (e) => e.event === 'membership-changed' && (e.lost as string[]).includes(victim),
          marks.get(node),
        );
        expect(change.left).not.toContain(victim);
      }
      const recovered = (e: LogEvent) => serviceState(SERVICE, 'started')(e) && e.owner !== victim;
      const started = await cluster.waitFor(survivor, recovered, marks.get(survivor));
      owner = String(started.owner);
      expect(await cluster.fetchPage(floating)).toBe(`hello from ${owner}`);
      console.info(
        `killed → webservice started on ${owner}: ` +
          `${Date.parse(String(started.time)) - Date.parse(String(killed.time))} ms`,
      );
      expect(fence.requests).toContainEqual(
        expect.objectContaining({ action: 'off', host: victim }),
      );

      const log = committedCommands(stateDir(survivor));
      const lostAt = log.findLast((c) => c.type === 'node-lost' && c.node === victim)?.index;
      const fencedAt = log.find(
        (c) => c.type === 'fenced' && c.node === victim && c.index > (lostAt ?? 0),
      )?.index;
      const recoveredAt = log.find(
        (c) =>
          c.index > (lostAt ?? 0) &&
          serviceRecords(c).some(
            (r) => r.id === SERVICE && r.owner !== undefined && r.owner !== victim,
          ),
      )?.index;
      expect(lostAt).toBeDefined();
      expect(fencedAt).toBeGreaterThan(lostAt as number);
      expect(recoveredAt).toBeGreaterThan(fencedAt as number);
    },
    TEST_MS,
  );

  it(
    'cman_tool kill -n for a node outside the configuration or not a member: refused, status 1',
    async () => {
      const asker = owner;
      await cluster.quorate(asker);
      const unknown = await cluster.command(asker, 'cman_tool', ['kill', '-n', 'nodeX']);
      expect(unknown).toEqual({
        status: 1,
        stdout: '',
        stderr: "Can't kill node nodeX : no such node in the cluster configuration\n",
      });
      // The node killed above is fenced and out of the membership.
      const gone = await cluster.command(asker, 'cman_tool', ['kill', '-n', victim]);
      expect(gone).toEqual({
        status: 1,
        stdout: '',
        stderr: `Can't kill node ${victim} : node is not a cluster member\n`,
      });
    },
    TEST_MS,
  );

  it(
    'fence_node OWNER on a third node: the leader fences the live owner once and webservice recovers elsewhere; fence_node LEADER is refused',
    async () => {
      // The node killed above comes back: three members again, so two stay after the fence.
      await cluster.network.powerOn(victim);
      cluster.start(victim);
      for (const node of NODES) await cluster.quorate(node);
      let leader = leaderSeenBy(owner);
      if (owner === leader) {
        // The leader does not fence itself: move webservice to a follower first.
        const target = others(leader)[0] as string;
        const mark = cluster.mark(leader);
        const moved = await cluster.command(leader, 'clusvcadm', [
          '-r',
          'webservice',
          '-m',
          target,
        ]);
        expect(moved.status).toBe(0);
        await cluster.waitFor(leader, serviceState(SERVICE, 'started', target), mark);
        owner = target;
        leader = leaderSeenBy(owner);
      }
      const target = owner;
      const asker = NODES.find((n) => n !== target && n !== leader) as string;
      const offBefore = offRequests(target);
      const mark = cluster.mark(asker);

      const typedAtMs = Date.now();
      const fenced = await cluster.command(asker, 'fence_node', [target]);
      expect(fenced).toEqual({
        status: 0,
        stdout: `fence ${target}: fencing ${target}\n`,
        stderr: '',
      });

      const recovered = (e: LogEvent) => serviceState(SERVICE, 'started')(e) && e.owner !== target;
      const started = await cluster.waitFor(asker, recovered, mark);
      owner = String(started.owner);
      expect(await cluster.fetchPage(floating)).toBe(`hello from ${owner}`);
      const startedAtMs = Date.parse(String(started.time));
      console.info(
        `fence_node typed → webservice started on ${owner}: ${startedAtMs - typedAtMs} ms`,
      );
      await cluster.waitFor(
        asker,
        (e) => e.event === 'membership-changed' && (e.lost as string[]).includes(target),
        mark,
      );
      expect(offRequests(target)).toBe(offBefore + 1);

      const log = committedCommands(stateDir(asker));
      const requested = log.findLast((c) => c.type === 'node-lost' && c.node === target);
      expect(requested?.requested).toBe(true);
      const fencedAt = log.find(
        (c) => c.type === 'fenced' && c.node === target && c.index > (requested?.index ?? 0),
      )?.index;
      const recoveredAt = log.find(
        (c) =>
          c.index > (fencedAt ?? 0) &&
          serviceRecords(c).some(
            (r) => r.id === SERVICE && r.owner !== undefined && r.owner !== target,
          ),
      )?.index;
      expect(fencedAt).toBeDefined();
      expect(recoveredAt).toBeGreaterThan(fencedAt as number);

      const self = await cluster.command(asker, 'fence_node', [leader]);
      expect(self.status).toBe(1);
      expect(self.stderr).toContain(`${leader} leads the cluster and does not fence itself`);
    },
    TEST_MS,
  );
});
