import type { VotingConfig } from '@quorate/core';
import { SimCluster } from './cluster.js';
import { clusterConfText } from './conf-text.js';

/** Config-versioning numbers for `pnpm bench:core`. */

const TICK_MS = 100;

function uniformConfig(size: number): VotingConfig {
  const voters = Array.from({ length: size }, (_, i) => ({ id: `n${i + 1}`, votes: 1 }));
  return { voters, expectedVotes: 0, tokenMs: 1000 };
}

function steadyCluster(config: VotingConfig, seed: number, compactAfterEntries = 0): SimCluster {
  const sim = new SimCluster({
    seed,
    config,
    tickMs: TICK_MS,
    drift: config.voters.map(() => 0),
    plant: null,
    maxEntriesPerMessage: 64,
    compactAfterEntries,
    clusterConf: clusterConfText(config, 1),
  });
  sim.boot();
  sim.queue.runUntil(5_000);
  return sim;
}

function leaderId(sim: SimCluster): string | null {
  return sim.statuses().find((s) => s.role === 'leader')?.id ?? null;
}

/**
 * Ticks from a proposal at the leader until every node of a 32-node cluster has written the
 * new version: a plain change, and a change of the voting set (joint consensus).
 */
export function configApplyTicks(size: number, trials: number): string {
  const measure = (votingChange: boolean): number[] => {
    const samples: number[] = [];
    for (let seed = 1; seed <= trials; seed++) {
      const config = uniformConfig(size);
      const sim = steadyCluster(config, seed);
      const leader = leaderId(sim);
      if (!leader) continue;
      const next = votingChange
        ? { ...config, voters: config.voters.map((v, i) => (i === 0 ? { ...v, votes: 2 } : v)) }
        : config;
      const proposedAt = sim.now();
      const result = sim.proposeConfig(leader, { kind: 'file', text: clusterConfText(next, 2, 9) });
      if (!result?.accepted) continue;
      for (let at = proposedAt + 10; at < proposedAt + 30_000; at += 10) {
        sim.queue.runUntil(at);
        if (sim.ids.every((id) => sim.configChecker.versionOf(id) === 2)) {
          samples.push((sim.now() - proposedAt) / TICK_MS);
          break;
        }
      }
    }
    return samples.sort((a, b) => a - b);
  };
  const show = (samples: number[]): string =>
    `median ${samples[Math.floor(samples.length / 2)]} ticks, max ${samples.at(-1)} ticks`;
  return `${size} nodes, config change proposed to applied on every node (tick ${TICK_MS} ms, ${trials} trials): plain ${show(measure(false))}; voting-set change ${show(measure(true))}`;
}

/** Log length on disk after `changes` cluster.conf changes, with and without compaction. */
export function logSizeAfterChanges(changes: number, compactAfterEntries: number): string {
  const sizes = (compact: number): { entries: number; snapshot: number; wallS: number } => {
    const started = performance.now();
    const config = uniformConfig(3);
    const sim = steadyCluster(config, 1, compact);
    for (let version = 2; version <= changes + 1; version++) {
      const leader = leaderId(sim);
      if (leader) {
        sim.proposeConfig(leader, {
          kind: 'file',
          text: clusterConfText(config, version, version % 60),
        });
      }
      sim.queue.runUntil(sim.now() + TICK_MS);
    }
    sim.queue.runUntil(sim.now() + 2_000);
    const disks = sim.ids.map((id) => sim.host(id).disk);
    return {
      entries: Math.max(...disks.map((d) => d.storedLength())),
      snapshot: Math.min(...disks.map((d) => d.storedSnapshot()?.index ?? 0)),
      wallS: (performance.now() - started) / 1000,
    };
  };
  const compacted = sizes(compactAfterEntries);
  const full = sizes(0);
  return `3 nodes after ${changes} cluster.conf changes: ${compacted.entries} entries on disk with compaction every ${compactAfterEntries} (snapshot at ${compacted.snapshot}; ${compacted.wallS.toFixed(1)} s), ${full.entries} without (${full.wallS.toFixed(1)} s)`;
}
