// Power fencing on three test hosts, every node fenced through fence_testhost (the harness powers
// the host off: processes killed, link down, floating addresses and mounts gone). In order:
// - the owner's host loses power: the survivors fence it, the client reaches webservice on
//   another node, and the committed log holds the fence before the recovery;
// - a 2+1 partition isolates the owner, whose fence device is slow (delay=): the single node
//   stops its services when its lease runs out, before the majority's fence lands; the majority
//   fences it and recovers them; after healing (power on, agent restarted) every node shows one
//   owner per service and the observer saw the floating IP on at most one host at any time;
// - a node powered off, fenced and rebooted joins again and takes a service, and is not declared
//   lost again (the leader's link to it was a dead TCP connection: now dialled afresh).
import {
  e2eSkipReason,
  type FenceControl,
  HostObserver,
  holdersIn,
  sharedHoldings,
} from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../testing/agent-events.js';
import { committedCommands, serviceRecords } from '../../testing/committed-log.js';
import {
  type FencedWebCluster,
  fencedWebConf,
  startFencedWebCluster,
} from '../../testing/fenced-web-cluster.js';
import { quorumIs, type ScenarioCluster, serviceState } from '../../testing/scenario-cluster.js';

const skip = e2eSkipReason();
const NODES = ['node1', 'node2', 'node3'];
const SERVICE = 'service:webservice';
const WAIT_MS = 30_000;
const TEST_MS = 120_000;
/** node3's fence device waits this long: longer than its service lease (3 tokens) and stop. */
const SLOW_FENCE_S = 6;

const clusterConf = fencedWebConf({
  clusterName: 'powerfence',
  nodes: NODES.map((name) => ({ name, device: name === 'node3' ? 'slowhost' : 'testhost' })),
  devices: [{ name: 'testhost' }, { name: 'slowhost', delaySeconds: SLOW_FENCE_S }],
});

describe.skipIf(skip)('power fencing on test hosts', () => {
  let web: FencedWebCluster | undefined;
  let cluster: ScenarioCluster;
  let fence: FenceControl;
  let floating = '';
  let owner = '';
  const others = (node: string) => NODES.filter((name) => name !== node);
  const holdsFloating = (host: { floating: readonly string[] }) => host.floating.includes(floating);
  const stateDir = (node: string) => cluster.host(node).paths.mounts['/var/lib/quorate'];

  /** clusvcadm -r webservice -m target on `from`, and the started record that follows. */
  const relocate = async (from: string, target: string) => {
    const mark = cluster.mark(from);
    let result = { status: null as number | null };
    // A loaded machine can cost a node its quorum for a moment: 247 (needs quorum) and 250 (try
    // again) are answers an administrator retries, once the node is quorate again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await cluster.quorate(from);
      result = await cluster.command(from, 'clusvcadm', ['-r', 'webservice', '-m', target]);
      if (result.status !== 247 && result.status !== 250) break;
    }
    expect(result.status).toBe(0);
    await cluster.waitFor(from, serviceState(SERVICE, 'started', target), mark);
    owner = target;
  };

  /** Powers the host on and starts its agent again, which rejoins the cluster. */
  const reboot = async (node: string) => {
    await cluster.network.powerOn(node);
    const mark = cluster.mark(node);
    cluster.start(node);
    await cluster.waitFor(node, quorumIs(true), mark);
  };

  beforeAll(async () => {
    web = await startFencedWebCluster({
      clusterName: 'powerfence',
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
    'the owner loses power: the survivors fence it, the client reaches webservice on another node, and the committed log has the fence before the recovery',
    async () => {
      if (owner === 'node3') await relocate('node1', 'node1');
      const victim = owner;
      const survivor = others(victim)[0] as string;
      const mark = cluster.mark(survivor);
      await cluster.network.powerOff(victim);
      const recovered = (e: LogEvent) => serviceState(SERVICE, 'started')(e) && e.owner !== victim;
      const started = await cluster.waitFor(survivor, recovered, mark);
      owner = String(started.owner);
      expect(await cluster.fetchPage(floating)).toBe(`hello from ${owner}`);
      expect(fence.requests).toContainEqual(
        expect.objectContaining({ action: 'off', host: victim }),
      );

      const log = committedCommands(stateDir(survivor));
      const fencedAt = log.find((c) => c.type === 'fenced' && c.node === victim)?.index;
      const lostAt = log.findLast((c) => c.type === 'node-lost' && c.node === victim)?.index;
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

      await reboot(victim);
    },
    TEST_MS,
  );

  it(
    '2+1 partition with a slow fence device: the single node stops webservice within its lease; the majority fences it and recovers; healed, one owner',
    async () => {
      if (owner !== 'node3') await relocate(owner, 'node3');
      const majority = others('node3');
      const observer = HostObserver.start(cluster.network, { intervalMs: 100 });
      try {
        const marks = new Map(NODES.map((node) => [node, cluster.mark(node)]));
        const cutAtMs = Date.now();
        await cluster.network.cutHost('node3');
        const stopped = await cluster.waitFor(
          'node3',
          (e) => e.event === 'emergency-stop' && e.service === SERVICE,
          marks.get('node3'),
        );
        expect(stopped.reason).toBe('lease');
        const recovered = (e: LogEvent) =>
          serviceState(SERVICE, 'started')(e) && majority.includes(String(e.owner));
        const started = await cluster.waitFor('node1', recovered, marks.get('node1'));
        owner = String(started.owner);
        const fenceOff = fence.requests.find((r) => r.action === 'off' && r.host === 'node3');
        expect(fenceOff?.receivedAtMs).toBeGreaterThan(cutAtMs);
        // The isolated node had let go of the address before the majority's fence reached it.
        const round = await observer.sample();
        expect(holdersIn(round, holdsFloating)).toEqual([owner]);
        const lastHeldByNode3 = observer.rounds
          .filter((r) => holdersIn(r, holdsFloating).includes('node3'))
          .at(-1);
        expect(lastHeldByNode3?.endedAtMs).toBeLessThan(fenceOff?.receivedAtMs as number);
        console.info(
          `cut → emergency stop logged: ${Date.parse(String(stopped.time)) - cutAtMs} ms; ` +
            `cut → fence request: ${(fenceOff?.receivedAtMs as number) - cutAtMs} ms`,
        );

        await cluster.network.healAll();
        await reboot('node3');
        for (const node of NODES) {
          const clustat = await cluster.command(node, 'clustat', ['-s', 'webservice']);
          expect(clustat.status).toBe(0);
          expect(clustat.stdout).toMatch(new RegExp(`^ ${SERVICE} +${owner} +started\\s*$`, 'm'));
        }
        expect(holdersIn(await observer.sample(), holdsFloating)).toEqual([owner]);
        expect(await cluster.fetchPage(floating)).toBe(`hello from ${owner}`);
      } finally {
        await observer.stop();
      }
      expect(observer.errors).toEqual([]);
      expect(sharedHoldings(observer.rounds, holdsFloating)).toEqual([]);
    },
    TEST_MS,
  );

  // Found by chaos.test.ts (fixed in the peer transport): while a peer is unreachable, the
  // leader's outbound link to it stays "up" and its TCP retransmissions back off. When the fenced
  // peer rebooted, its new agent dialled out and joined, but the leader's heartbeats sat in the
  // dead connection: the leader declared the new incarnation lost one token later and fenced it
  // again. A peer whose inbound frames show a new incarnation now gets a new outbound link.
  it(
    'a node powered off, fenced and rebooted joins again and takes a service, not declared lost again',
    async () => {
      // node3's fence device waits SLOW_FENCE_S first: the outage outlasts the leader's early
      // retransmissions, as a real power cycle does.
      const victim = 'node3';
      // The victim's host starts its agent when it boots, as its init system would.
      const stopBooting = cluster.network.onPowerChange((host, on) => {
        if (host === victim && on && !cluster.isRunning(victim)) cluster.start(victim);
      });
      try {
        const marks = new Map(NODES.map((node) => [node, cluster.mark(node)]));
        await cluster.network.powerOff(victim);
        // Fenced (off, then on) by the device, its host boots and starts a new agent.
        const booted = await cluster.waitFor(
          victim,
          (e) => e.event === 'started',
          marks.get(victim),
        );
        const lostAgain = (e: LogEvent) =>
          e.event === 'node-lost' && e.node === victim && e.incarnation === booted.incarnation;
        const lost = Promise.race(
          others(victim).map((node) => cluster.waitFor(node, lostAgain, marks.get(node))),
        ).then(() => 'declared lost again');
        // The leader → victim direction at work: the leader sends the victim a start.
        const served = (async () => {
          await cluster.quorate(victim);
          const mark = cluster.mark(victim);
          const survivor = others(victim)[0] as string;
          await cluster.command(survivor, 'clusvcadm', ['-r', 'webservice', '-m', victim]);
          await cluster.waitFor(victim, serviceState(SERVICE, 'started', victim), mark);
          return 'serves webservice';
        })();
        for (const outcome of [lost, served]) outcome.catch(() => undefined);
        expect(await Promise.race([served, lost])).toBe('serves webservice');
      } finally {
        stopBooting();
        // Whatever happened, leave the node running and quorate.
        if (!cluster.isRunning(victim)) cluster.start(victim);
        await cluster.quorate(victim);
      }
    },
    TEST_MS,
  );
});
