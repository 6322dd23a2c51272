import {
  ClusterNode,
  type NodeId,
  type PeerMessage,
  type VoterConf,
  type VotingConfig,
} from '@quorate/core';
import { configApplyTicks, logSizeAfterChanges } from './bench-config.js';
import { failoverLines } from './bench-failover.js';
import { placementLine } from './bench-placement.js';
import { SimCluster } from './cluster.js';
import { Workload } from './faults.js';
import { Prng } from './prng.js';

/** `pnpm bench:core`: throughput of the simulated core, election latency, cost of a step. */

const TICK_MS = 100;

function votingConfig(size: number): VotingConfig {
  const voters: VoterConf[] = [];
  for (let i = 1; i <= size; i++) voters.push({ id: `n${i}`, votes: 1 });
  return { voters, expectedVotes: 0, tokenMs: 1000 };
}

function cluster(size: number, seed: number): SimCluster {
  return new SimCluster({
    seed,
    config: votingConfig(size),
    tickMs: TICK_MS,
    drift: Array.from({ length: size }, () => 0),
    plant: null,
    maxEntriesPerMessage: 64,
  });
}

/** Simulated cluster-seconds per wall second for a steady cluster with a client workload. */
function throughput(size: number, simulatedMs: number): string {
  const sim = cluster(size, 1);
  const workload = new Workload(sim, new Prng(1, 4));
  sim.boot();
  workload.start(simulatedMs);
  const started = performance.now();
  sim.queue.runUntil(simulatedMs);
  const wallSeconds = (performance.now() - started) / 1000;
  const rate = simulatedMs / 1000 / wallSeconds;
  const commits = sim.checker.committedCount();
  return `${size} nodes: ${rate.toFixed(1)} simulated cluster-seconds per wall second (${commits} commits, ${sim.coverage.messages} messages)`;
}

function leaderOf(sim: SimCluster): { id: NodeId; term: number } | null {
  const leader = sim.statuses().find((s) => s.role === 'leader');
  return leader ? { id: leader.id, term: leader.term } : null;
}

/** Ticks from a leader's crash until a new leader of a later term exists. */
function electionTicks(size: number, trials: number): number[] {
  const samples: number[] = [];
  for (let seed = 1; seed <= trials; seed++) {
    const sim = cluster(size, seed);
    sim.boot();
    sim.queue.runUntil(5_000);
    const old = leaderOf(sim);
    if (!old) continue;
    sim.crash(old.id, false);
    const crashedAt = sim.now();
    for (let at = crashedAt + 10; at < crashedAt + 30_000; at += 10) {
      sim.queue.runUntil(at);
      const next = leaderOf(sim);
      if (next && next.term > old.term) {
        samples.push((sim.now() - crashedAt) / TICK_MS);
        break;
      }
    }
  }
  return samples.sort((a, b) => a - b);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Microseconds per `step` + `ready` + `advance` for acknowledgements at a 32-node leader. */
function stepCost(size: number, iterations: number): string {
  const config = votingConfig(size);
  const leader = new ClusterNode({ id: 'n1', config, tickMs: TICK_MS, random: new Prng(1) });
  const ack = (from: NodeId, term: number, matchIndex: number): PeerMessage => ({
    type: 'append-response',
    from,
    to: 'n1',
    term,
    incarnation: 1,
    success: true,
    matchIndex,
    echoTick: 0,
    sentTick: 0,
  });
  // Elect n1 by handing it every vote.
  for (let i = 0; i < 40 && leader.status().role !== 'pre-candidate'; i++) leader.tick();
  const preTerm = leader.status().term + 1;
  for (const voter of config.voters.slice(1)) {
    leader.step({
      type: 'vote-response',
      from: voter.id,
      to: 'n1',
      term: preTerm,
      incarnation: 1,
      preVote: true,
      granted: true,
    });
  }
  const term = leader.status().term;
  for (const voter of config.voters.slice(1)) {
    leader.step({
      type: 'vote-response',
      from: voter.id,
      to: 'n1',
      term,
      incarnation: 1,
      preVote: false,
      granted: true,
    });
  }
  leader.advance(leader.ready());
  if (leader.status().role !== 'leader') return 'step cost: could not elect the bench leader';
  let proposeMs = 0;
  let ackMs = 0;
  for (let i = 0; i < iterations; i++) {
    const beforePropose = performance.now();
    leader.step({ type: 'propose', data: `p${i}` });
    leader.advance(leader.ready());
    const beforeAck = performance.now();
    const peer = config.voters[1 + (i % (size - 1))]!.id;
    leader.step(ack(peer, term, leader.status().lastIndex));
    leader.advance(leader.ready());
    ackMs += performance.now() - beforeAck;
    proposeMs += beforeAck - beforePropose;
  }
  const micros = (ms: number): string => ((ms * 1000) / iterations).toFixed(2);
  return `step on a ${size}-node leader (with ready/advance): acknowledgement ${micros(ackMs)} µs, proposal (appends to ${size - 1} peers) ${micros(proposeMs)} µs`;
}

async function main(): Promise<void> {
  console.log(throughput(5, 600_000));
  console.log(throughput(32, 120_000));
  for (const size of [3, 5]) {
    const samples = electionTicks(size, 200);
    console.log(
      `${size} nodes, leader crash to new leader (tick ${TICK_MS} ms, token 1000 ms, ${samples.length} trials): median ${percentile(samples, 50)} ticks, p99 ${percentile(samples, 99)} ticks, max ${samples.at(-1)} ticks`,
    );
  }
  for (const line of failoverLines(100)) console.log(line);
  console.log(stepCost(32, 20_000));
  console.log(configApplyTicks(32, 20));
  console.log(logSizeAfterChanges(10_000, 64));
  console.log(await placementLine(50));
}

await main();
