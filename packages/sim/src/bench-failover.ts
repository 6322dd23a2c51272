import type { NodeId, VotingConfig } from '@quorate/core';
import { SimCluster } from './cluster.js';
import { clusterConfText } from './conf-text.js';
import type { ServiceLayout } from './service-layout.js';

/**
 * Simulated unplanned failover (DESIGN.md §7): three nodes, token 1000 ms, tick 100 ms, one
 * service (an IP and a script), power fence devices that act in 1 ms, agents that take 1 ms.
 * The service's owner loses power; the sample is the ticks until its script runs on another
 * node. With the owner a follower the cluster detects the loss and fences; with the owner the
 * leader it elects a new leader first.
 */

const TICK_MS = 100;
const KEY = 'service:svc1/script:app1';

const config: VotingConfig = {
  voters: ['n1', 'n2', 'n3'].map((id) => ({ id, votes: 1 })),
  expectedVotes: 0,
  tokenMs: 1000,
};

const layout: ServiceLayout = {
  fenceMethods: { n1: ['power'], n2: ['power'], n3: ['power'] },
  domains: [],
  services: [
    {
      name: 'svc1',
      domain: null,
      recovery: 'relocate',
      maxRestarts: 0,
      restartExpireS: 0,
      resources: [
        '<ip address="10.1.0.10/24"/>',
        '<script name="app1" file="/etc/init.d/app1"><action name="status" depth="0" interval="10s" timeout="5s"/></script>',
      ],
    },
  ],
};

function runsOn(sim: SimCluster): NodeId | undefined {
  return sim.agents.hostsRunning(KEY)[0];
}

/** Runs until `done` holds (checked every 10 ms) or `limitMs` passes; false on the limit. */
function runUntil(sim: SimCluster, limitMs: number, done: () => boolean): boolean {
  const end = sim.now() + limitMs;
  for (let at = sim.now() + 10; at <= end; at += 10) {
    sim.queue.runUntil(at);
    if (done()) return true;
  }
  return false;
}

/** One trial: the ticks from the owner's power loss to the script running elsewhere. */
function failoverTrial(seed: number, ownerIsLeader: boolean): number | null {
  const sim = new SimCluster({
    seed,
    config,
    tickMs: TICK_MS,
    drift: [0, 0, 0],
    plant: null,
    maxEntriesPerMessage: 64,
    clusterConf: clusterConfText(config, 1, 0, layout),
    layout,
    fenceLatencyMs: 1,
  });
  sim.agents.fixedDurationMs = 1;
  sim.boot();
  const leader = () => sim.statuses().find((s) => s.role === 'leader')?.id;
  if (!runUntil(sim, 20_000, () => runsOn(sim) !== undefined && leader() !== undefined))
    return null;
  const lead = leader()!;
  const target = ownerIsLeader ? lead : config.voters.map((v) => v.id).find((id) => id !== lead)!;
  // A request may meet a leader that is not ready yet ("try again"): ask again each second.
  for (let attempt = 1; runsOn(sim) !== target; attempt++) {
    if (attempt > 10) return null;
    const request = { kind: 'relocate', service: 'service:svc1', target } as const;
    sim.request(lead, `bench-relocate-${attempt}`, request);
    runUntil(sim, 1000, () => runsOn(sim) === target);
  }
  // Settle: the relocation's records committed everywhere before the power goes.
  sim.queue.runUntil(sim.now() + 2000);
  if (runsOn(sim) !== target || (leader() === target) !== ownerIsLeader) return null;
  sim.crash(target, false, true);
  const killedAt = sim.now();
  const moved = runUntil(sim, 60_000, () => {
    const where = runsOn(sim);
    return where !== undefined && where !== target;
  });
  if (!moved || sim.checker.violations.length > 0) return null;
  return Math.round((sim.now() - killedAt) / TICK_MS);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `pnpm bench:core`'s failover lines: median and p99 ticks, owner a follower and the leader. */
export function failoverLines(trials: number): string[] {
  return [false, true].map((ownerIsLeader) => {
    const samples: number[] = [];
    let failed = 0;
    for (let seed = 1; seed <= trials; seed++) {
      const ticks = failoverTrial(seed, ownerIsLeader);
      if (ticks === null) failed++;
      else samples.push(ticks);
    }
    samples.sort((a, b) => a - b);
    const who = ownerIsLeader ? 'the leader' : 'a follower';
    return `failover, owner ${who} powered off → service started elsewhere (3 nodes, tick ${TICK_MS} ms, token 1000 ms, 1 ms agents and power fence, ${samples.length} trials${failed ? `, ${failed} set-ups failed` : ''}): median ${percentile(samples, 50)} ticks, p99 ${percentile(samples, 99)} ticks, max ${samples.at(-1)} ticks`;
  });
}
