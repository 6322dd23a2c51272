// Chaos on five test hosts: for QUORATE_CHAOS_SECONDS (default 180) random power-offs, link cuts,
// host cuts, heals and reboots, while webservice (a floating IP and a web server) and disk (an
// ext4 image mounted by the fs agent) run with every node power-fenced through fence_testhost.
// An observer samples every host's addresses and mounts from outside, through the namespaces;
// the client records which host answers the floating IP. Never on two hosts at once; once the
// faults stop, every service is started, on one host, and the client gets its page.
//
// The schedule comes from a seeded generator (printed; QUORATE_CHAOS_SEED replays it). The pauses
// between faults are the schedule itself, not a wait for something to happen; what the agents do
// in between depends on timing, so a replay repeats the faults, not every outcome.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  e2eSkipReason,
  type FenceControl,
  fenceTestHostAgent,
  HostObserver,
  holdersIn,
  type ObservedHost,
  serveFenceControl,
  sharedHoldings,
} from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fencedNode,
  ScenarioCluster,
  serviceState,
  WEB_PORT,
} from '../../testing/scenario-cluster.js';
import { writeWebService } from '../../testing/web-service.js';

const skip = e2eSkipReason();
const NODES = ['node1', 'node2', 'node3', 'node4', 'node5'];
const SERVICES = ['service:webservice', 'service:disk'];
const MOUNTPOINT = '/var/lib/quorate/data';
const WAIT_MS = 60_000;
/** Once the faults stop, every agent is quorate and every service started within this. */
const SETTLE_MS = 120_000;
const CHAOS_MS = Number(process.env.QUORATE_CHAOS_SECONDS ?? '180') * 1000;
const SEED = Number(process.env.QUORATE_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** At most this many hosts are off or cut off at once, so three of five can stay quorate. */
const MAX_FAULTY = 2;

/** mulberry32: a small seeded generator, so a schedule replays from its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function clusterConf(floating: string, script: string, device: string, socket: string): string {
  const nodes = NODES.map((name, i) => fencedNode(name, i + 1, 'testhost', name));
  return `<?xml version="1.0"?>
<cluster name="chaos" config_version="1">
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <fencedevices>
    <fencedevice name="testhost" agent="${fenceTestHostAgent}" socket="${socket}"/>
  </fencedevices>
  <rm>
    <service name="webservice" autostart="1" recovery="relocate">
      <ip address="${floating}" monitor_link="1"/>
      <script name="web" file="${script}"/>
    </service>
    <service name="disk" autostart="1" recovery="relocate">
      <fs name="data" device="${device}" mountpoint="${MOUNTPOINT}" fstype="ext4" force_unmount="1"/>
    </service>
  </rm>
</cluster>
`;
}

describe.skipIf(skip)('chaos on five test hosts', () => {
  let cluster: ScenarioCluster;
  let fence: FenceControl;
  let device = '';
  let floating = '';
  const answers: Array<{ atNs: bigint; host: string }> = [];
  const holdsFloating = (host: ObservedHost) => host.floating.includes(floating);
  const holdsDisk = (host: ObservedHost) => host.mounts.some((m) => m.source === device);

  beforeAll(async () => {
    console.info(`chaos seed ${SEED} (QUORATE_CHAOS_SEED=${SEED} replays it), ${CHAOS_MS} ms`);
    cluster = await ScenarioCluster.create({
      clusterName: 'chaos',
      nodeNames: NODES,
      waitMs: WAIT_MS,
    });
    fence = await serveFenceControl(cluster.network);
    floating = `${cluster.network.subnet}.100`;
    const image = `${cluster.dir}/disk.img`;
    execFileSync('truncate', ['-s', '32M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    const script = writeWebService(cluster.dir, `${floating} ${WEB_PORT}`);
    const conf = clusterConf(floating, script, device, fence.socketPath);
    for (const node of NODES) cluster.writeClusterConf(node, conf);
    for (const node of NODES) cluster.start(node);
    for (const service of SERVICES)
      await cluster.waitFor('node1', serviceState(service, 'started'));
  }, 120_000);

  afterAll(async () => {
    await fence?.close();
    await cluster?.destroy();
    if (device) execFileSync('losetup', ['-d', device]);
  }, 120_000);

  it(
    'never holds the floating IP or the disk on two hosts at once, and starts every service once the faults stop',
    async () => {
      const network = cluster.network;
      const random = generator(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const observer = HostObserver.start(network, { intervalMs: 200 });
      const probeScript = fileURLToPath(
        new URL('../../../../e2e/fixtures/http-probe.mjs', import.meta.url),
      );
      const client = network.spawn('client', process.execPath, [
        probeScript,
        floating,
        String(WEB_PORT),
        '50',
        '300',
      ]);
      client.onLine((line) => {
        const match = /^(\d+) (\S+)$/.exec(line.text);
        if (match) answers.push({ atNs: BigInt(match[1] as string), host: match[2] as string });
      });
      const started = Date.now();
      const say = (what: string) => console.info(`chaos +${Date.now() - started} ms: ${what}`);
      // A host starts its agent at boot, as its init system would, whoever powered it on: the
      // schedule, or a fence device's reboot.
      const stopBooting = network.onPowerChange((host, on) => {
        if (!on || cluster.isRunning(host)) return;
        say(`${host} boots and starts its agent`);
        cluster.start(host);
      });
      const cutHosts = new Set<string>();
      const down = () => NODES.filter((n) => !network.isPoweredOn(n) || !cluster.isRunning(n));
      const faulty = () => NODES.filter((n) => down().includes(n) || cutHosts.has(n));
      // A fence may power it off again before its agent has even started: no wait here.
      const boot = async (node: string) => {
        cutHosts.delete(node);
        await network.healHost(node);
        if (network.isPoweredOn(node)) cluster.start(node);
        else await network.powerOn(node);
      };

      try {
        while (Date.now() - started < CHAOS_MS) {
          const healthy = NODES.filter((n) => !faulty().includes(n));
          const roll = random();
          if (down().length > 0 && roll < 0.3) {
            const node = pick(down());
            say(`power on ${node}`);
            await boot(node);
          } else if (roll < 0.5 && faulty().length < MAX_FAULTY) {
            const node = pick(healthy);
            say(`power off ${node}`);
            await network.powerOff(node);
          } else if (roll < 0.65 && faulty().length < MAX_FAULTY) {
            const node = pick(healthy);
            say(`cut ${node} off`);
            cutHosts.add(node);
            await network.cutHost(node);
          } else if (roll < 0.8 && network.currentBlocks().length === 0 && healthy.length >= 2) {
            const a = pick(healthy);
            const b = pick(healthy.filter((n) => n !== a));
            say(`cut the link ${a} - ${b}`);
            await network.cutLink(a, b);
          } else {
            say('heal every cut');
            cutHosts.clear();
            await network.healAll();
          }
          // The schedule's own pace (2-6 s between faults), not a wait for an outcome.
          await new Promise((resolve) => setTimeout(resolve, 2000 + random() * 4000));
        }

        say('faults stop: heal every cut, power every host on');
        cutHosts.clear();
        await network.healAll();
        await everyNodeQuorate(boot);
        const owners = await settledOwners(observer, say);
        say(`every service started: ${JSON.stringify(owners)}`);
        const page = await cluster.fetchPage(floating);
        expect(page).toBe(`hello from ${owners['service:webservice']}`);
      } finally {
        stopBooting();
        await observer.stop();
        client.kill('SIGKILL');
        const changes = answers.map((a) => a.host).join(' ');
        console.info(`client answers (each change): ${changes}`);
        console.info(
          `fence requests: ${fence.requests
            .filter((r) => r.action === 'off')
            .map((r) => r.host)
            .join(' ')}`,
        );
      }
      expect(observer.errors).toEqual([]);
      expect(sharedHoldings(observer.rounds, holdsFloating)).toEqual([]);
      expect(sharedHoldings(observer.rounds, holdsDisk)).toEqual([]);
      for (const node of NODES) {
        const bad = cluster
          .events(node)
          .filter((e) => ['fatal', 'state-corrupt', 'command-error'].includes(e.event));
        expect(bad).toEqual([]);
      }
    },
    CHAOS_MS + SETTLE_MS + 3 * WAIT_MS,
  );

  /**
   * Boots every host that is down and waits until every agent is quorate. A fence decided before
   * the faults stopped may still land (and reboot a host): then it goes round again.
   */
  async function everyNodeQuorate(boot: (node: string) => Promise<void>): Promise<void> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const network = cluster.network;
      for (const node of NODES) {
        if (!network.isPoweredOn(node) || !cluster.isRunning(node)) await boot(node);
      }
      const outcomes = await Promise.all(
        NODES.map((node) => {
          const quorate = cluster.quorate(node).then(() => true);
          quorate.catch(() => undefined);
          return Promise.race([quorate, cluster.agent(node).exited.then(() => false)]);
        }),
      );
      if (outcomes.every(Boolean)) return;
      if (Date.now() > deadline) {
        throw new Error(`agents kept being powered off ${SETTLE_MS} ms after the faults stopped`);
      }
    }
  }

  /**
   * Every service started, and held (address, mount) by the host clustat names and no other.
   * The cluster may still be moving a service when the faults stop: each disagreement waits for
   * node1's next service event and looks again, until SETTLE_MS.
   */
  async function settledOwners(
    observer: HostObserver,
    say: (what: string) => void,
  ): Promise<Record<string, string>> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const mark = cluster.mark('node1');
      const owners = await servicesStarted();
      const round = await observer.sample();
      const observed = {
        'service:webservice': holdersIn(round, holdsFloating),
        'service:disk': holdersIn(round, holdsDisk),
      };
      const expected = Object.fromEntries(SERVICES.map((s) => [s, [owners[s]]]));
      if (JSON.stringify(observed) === JSON.stringify(expected)) return owners;
      say(`clustat says ${JSON.stringify(owners)}, the hosts hold ${JSON.stringify(observed)}`);
      if (Date.now() > deadline) expect(observed).toEqual(expected);
      await cluster.waitFor('node1', (e) => e.event === 'service-state-changed', mark);
    }
  }

  /** Waits until node1's clustat shows every service started; returns each one's owner. */
  async function servicesStarted(): Promise<Record<string, string>> {
    const owners: Record<string, string> = {};
    for (const service of SERVICES) {
      const mark = cluster.mark('node1');
      const status = await cluster.command('node1', 'clustat', ['-s', service]);
      const line = new RegExp(`^ ${service} +(\\S+) +started\\s*$`, 'm').exec(status.stdout);
      if (line?.[1]) {
        owners[service] = line[1];
        continue;
      }
      const event = await cluster.waitFor('node1', serviceState(service, 'started'), mark);
      owners[service] = String(event.owner);
    }
    return owners;
  }
});
