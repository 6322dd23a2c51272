import {
  activeStates,
  CONTROLLER_BUGS,
  type ControllerBug,
  type NodeId,
  type NodeStatus,
  PLANTED_BUGS,
  type PlantedBug,
  type ResourceManagerState,
  type VoterConf,
  type VotingConfig,
} from '@quorate/core';
import { AdminWorkload, FenceNodeWorkload } from './admin-workload.js';
import { SimCluster } from './cluster.js';
import { clusterConfText } from './conf-text.js';
import { ConfigWorkload } from './config-workload.js';
import type { Coverage } from './coverage.js';
import { FaultScheduler, LeaveWorkload, Workload } from './faults.js';
import { CALM_LINKS } from './network.js';
import { Prng } from './prng.js';
import { drawServiceLayout } from './service-layout.js';

/** A consensus planted bug (`ClusterNode`) or a service controller one. */
export type AnyPlantedBug = PlantedBug | ControllerBug;

/** Every planted bug the simulator knows: the consensus ones, then the controller's. */
export const ALL_PLANTED_BUGS: readonly AnyPlantedBug[] = [...PLANTED_BUGS, ...CONTROLLER_BUGS];

export function isControllerBug(plant: AnyPlantedBug | null): plant is ControllerBug {
  return plant !== null && (CONTROLLER_BUGS as readonly string[]).includes(plant);
}

export interface SeedOptions {
  readonly seed: number;
  /** Cluster size; when absent the seed picks 3, 4 or 5. */
  readonly nodes?: number;
  readonly plant?: AnyPlantedBug | null;
  /** Simulated time with faults on. */
  readonly faultMs?: number;
  /** Simulated time the liveness phase may take before it counts as a failure. */
  readonly livenessBoundMs?: number;
  readonly fullTrace?: boolean;
  /**
   * Services, failover domains, resource agents with faults, fence devices of every kind and
   * the administrator's requests (default on); off, the hosts run the controller with no
   * services and fence_manual devices, as before issue 6.
   */
  readonly services?: boolean;
}

export interface SeedResult {
  readonly seed: number;
  readonly nodes: number;
  /** `--nodes` as given (the draws differ with it, so a replay must repeat it exactly). */
  readonly nodesOption: number | undefined;
  /** `--fault-ms` as given, if not the default. */
  readonly faultMsOption: number | undefined;
  readonly plant: AnyPlantedBug | null;
  readonly config: VotingConfig;
  readonly violations: readonly string[];
  readonly livenessFailure: string | null;
  /** Simulated milliseconds from the end of faults until the cluster converged. */
  readonly convergedAfterMs: number | null;
  /** Simulated milliseconds from the end of faults until every service settled (rule 6). */
  readonly servicesSettledAfterMs: number | null;
  readonly simulatedMs: number;
  readonly coverage: Coverage;
  readonly trace: readonly string[];
}

export const DEFAULT_FAULT_MS = 60_000;
/** Liveness bound: 20 token times after faults stop (token is at most 1500 ms here). */
export const LIVENESS_TOKENS = 20;
/**
 * With services the controller's fence devices run on after the faults stop: a slow one takes
 * up to 4 token times and its victim reboots up to 8 token times later, so the consensus gets
 * 15 token times more.
 */
export const LIVENESS_TOKENS_WITH_FENCING = 35;
/**
 * Rule 6's bound: every enabled service that can run is started, and nothing disabled runs,
 * within 40 token times after faults stop (a settled leader, then stops, placement and starts).
 */
export const SERVICE_LIVENESS_TOKENS = 40;

/** The seed decides the configuration: size, weights, expected votes, token, tick and drift. */
export interface SeedSetup {
  readonly config: VotingConfig;
  readonly tickMs: number;
  readonly drift: number[];
  readonly maxEntriesPerMessage: number;
}

export function drawSetup(seed: number, nodes?: number): SeedSetup {
  const random = new Prng(seed, 1);
  const size = nodes ?? 3 + (seed % 3);
  const weighted = random.chance(0.5);
  const voters: VoterConf[] = [];
  for (let i = 1; i <= size; i++) {
    voters.push({ id: `n${i}`, votes: weighted ? random.between(1, 3) : 1 });
  }
  const total = voters.reduce((sum, voter) => sum + voter.votes, 0);
  const expectedRoll = random.next();
  const expectedVotes =
    expectedRoll < 0.5 ? 0 : expectedRoll < 0.75 ? total : random.between(1, 2 * total - 1);
  const tokenMs = random.pick([600, 1000, 1500]);
  const tickMs = random.pick([50, 100]);
  const drift = voters.map(() => (random.next() - 0.5) * 0.1);
  const maxEntriesPerMessage = random.pick([1, 3, 64]);
  return { config: { voters, expectedVotes, tokenMs }, tickMs, drift, maxEntriesPerMessage };
}

/**
 * two_node clusters (DESIGN.md §2): `--nodes 2`, or without `--nodes` one seed in eight (its own
 * stream, so the other seeds draw as before). Each host has a power fence device; in two
 * thirds of them one host carries a fence delay of half a token to two tokens.
 */
function twoNodeSetup(seed: number, drawn: SeedSetup): { config: VotingConfig; delays: number[] } {
  const tokenMs = drawn.config.tokenMs;
  const config: VotingConfig = {
    voters: [
      { id: 'n1', votes: 1 },
      { id: 'n2', votes: 1 },
    ],
    expectedVotes: 1,
    tokenMs,
    waitForAll: true,
    twoNode: true,
  };
  const random = new Prng(seed, 10);
  const delayed = random.pick([-1, 0, 1]);
  const delayMs = random.between(tokenMs / 2, 2 * tokenMs);
  return { config, delays: [0, 1].map((i) => (i === delayed ? delayMs : 0)) };
}

export function isTwoNodeSeed(seed: number, nodes?: number): boolean {
  return nodes === undefined ? new Prng(seed, 9).chance(0.125) : nodes === 2;
}

/** Runs one seed: boot, faults and workload, then the liveness phase. */
export function runSeed(options: SeedOptions): SeedResult {
  const faultMs = options.faultMs ?? DEFAULT_FAULT_MS;
  const drawn = drawSetup(options.seed, options.nodes);
  const { tickMs, drift, maxEntriesPerMessage } = drawn;
  const twoNode = isTwoNodeSeed(options.seed, options.nodes)
    ? twoNodeSetup(options.seed, drawn)
    : null;
  // A quarter of the clusters start with wait_for_all (its own stream keeps other draws).
  const config = twoNode?.config ?? {
    ...drawn.config,
    waitForAll: new Prng(options.seed, 8).chance(0.25),
  };
  const plant = options.plant ?? null;
  const ids = config.voters.map((voter) => voter.id);
  // Services, domains and fence devices (their own stream, so the draws above did not move).
  const layout =
    options.services === false ? null : drawServiceLayout(new Prng(options.seed, 14), ids);
  const cluster = new SimCluster({
    maxEntriesPerMessage,
    seed: options.seed,
    config,
    tickMs,
    drift: drift.slice(0, config.voters.length),
    plant: isControllerBug(plant) ? null : plant,
    controllerPlant: isControllerBug(plant) ? plant : null,
    layout,
    fullTrace: options.fullTrace ?? false,
    compactAfterEntries: new Prng(options.seed, 7).pick([0, 8, 32]),
    clusterConf: clusterConfText(config, 1, 6, layout),
    ...(twoNode ? { fenceDelayMs: twoNode.delays } : {}),
  });
  const violated = (): boolean => cluster.checker.violations.length > 0;
  const agentRandom = new Prng(options.seed, 15);
  if (layout) {
    cluster.agents.rates = {
      failRate: agentRandom.pick([0, 0.01, 0.03, 0.08]),
      hangRate: agentRandom.pick([0, 0.005, 0.02]),
    };
  }
  const admin = new AdminWorkload(
    cluster,
    new Prng(options.seed, 16),
    (layout?.services ?? []).map((s) => `service:${s.name}`),
  );
  const workload = new Workload(cluster, new Prng(options.seed, 4));
  cluster.boot();
  new FaultScheduler(cluster, new Prng(options.seed, 5), config.tokenMs, faultMs).start();
  workload.start(faultMs);
  new ConfigWorkload(cluster, new Prng(options.seed, 6)).start(faultMs);
  new LeaveWorkload(cluster, new Prng(options.seed, 12), config.tokenMs).start(faultMs);
  admin.start(faultMs);
  if (layout) new FenceNodeWorkload(cluster, new Prng(options.seed, 17)).start(faultMs);
  cluster.queue.runUntil(faultMs, violated);

  let livenessFailure: string | null = null;
  let convergedAfterMs: number | null = null;
  let servicesSettledAfterMs: number | null = null;
  if (!violated()) {
    const tokens = layout ? LIVENESS_TOKENS_WITH_FENCING : LIVENESS_TOKENS;
    const boundMs = options.livenessBoundMs ?? tokens * config.tokenMs;
    const outcome = livenessPhase(cluster, workload, boundMs);
    convergedAfterMs = outcome.convergedAfterMs;
    livenessFailure = outcome.failure;
    if (!livenessFailure && !violated()) {
      const serviceBoundMs = SERVICE_LIVENESS_TOKENS * config.tokenMs;
      const services = servicePhase(cluster, admin, serviceBoundMs);
      servicesSettledAfterMs = services.settledAfterMs;
      livenessFailure = services.failure;
    }
  }
  for (const violation of cluster.checker.violations) cluster.trace(`VIOLATION ${violation}`);
  if (livenessFailure) cluster.trace(`LIVENESS ${livenessFailure}`);
  return {
    seed: options.seed,
    nodes: config.voters.length,
    nodesOption: options.nodes,
    faultMsOption: options.faultMs,
    plant: options.plant ?? null,
    config,
    violations: [...cluster.checker.violations],
    livenessFailure,
    convergedAfterMs,
    servicesSettledAfterMs,
    simulatedMs: cluster.now(),
    coverage: cluster.finalCoverage(),
    trace: cluster.traceTail(),
  };
}

/**
 * Faults stop and every host is up and connected; a leader must emerge, accept a new command,
 * and every host must apply everything the leader has, within `boundMs`.
 */
function livenessPhase(
  cluster: SimCluster,
  workload: Workload,
  boundMs: number,
): { failure: string | null; convergedAfterMs: number | null } {
  const startMs = cluster.now();
  cluster.livenessStartMs = startMs;
  cluster.adminActive = false;
  cluster.trace('liveness phase: faults stop, network healed, all hosts up');
  cluster.network.healAll();
  cluster.network.conditions = { ...CALM_LINKS };
  cluster.agents.heal();
  for (const id of cluster.ids) {
    const host = cluster.host(id);
    if (host.crashAtNextWrite) cluster.crash(id, false);
    // A host a fabric fence cut off comes back through the reboot the administrator owes it.
    if (host.fabricCut) cluster.crash(id, false, true);
    if (!host.up) cluster.restart(id);
    cluster.resume(host);
  }
  // The probe is a command proposed after faults stop; re-proposed if leadership moves on.
  let probe = null as { index: number; term: number } | null;
  const deadline = startMs + boundMs;
  for (let at = startMs; at <= deadline; at += 50) {
    cluster.queue.runUntil(at, () => cluster.checker.violations.length > 0);
    if (cluster.checker.violations.length > 0) return { failure: null, convergedAfterMs: null };
    const statuses = cluster.statuses();
    const leader = statuses.find((s) => s.role === 'leader');
    if (leader && probe?.term !== leader.term && workload.proposeOnce().includes(leader.id)) {
      probe = { index: leader.lastIndex + 1, term: leader.term };
    }
    if (probe !== null && converged(cluster, cluster.statuses(), probe.index)) {
      return { failure: null, convergedAfterMs: cluster.now() - startMs };
    }
  }
  return { failure: describeStall(cluster.statuses(), boundMs), convergedAfterMs: null };
}

/**
 * Rule 6: after the consensus converged, within `boundMs` of the end of faults every enabled
 * service that can run is started on one node, its owner, and nothing else runs anywhere. A lock
 * left by the administrator is lifted first (a locked cluster starts nothing, by design).
 */
function servicePhase(
  cluster: SimCluster,
  admin: AdminWorkload,
  boundMs: number,
): { failure: string | null; settledAfterMs: number | null } {
  const startMs = cluster.now() - (cluster.now() % 50);
  const faultEndMs = cluster.livenessStartMs;
  let deadline = faultEndMs + boundMs;
  let extendedMs = 0;
  let unsettled: string | null = 'no leader';
  let lastUnlockMs = -Infinity;
  for (let at = startMs; at <= deadline; at += 50) {
    cluster.queue.runUntil(at, () => cluster.checker.violations.length > 0);
    if (cluster.checker.violations.length > 0) return { failure: null, settledAfterMs: null };
    const leader = cluster.statuses().find((s) => s.role === 'leader');
    const controller = leader ? cluster.host(leader.id).controller : null;
    if (!controller) continue;
    if (cluster.serviceChecker.state().rm.locked && at - lastUnlockMs >= 1000) {
      lastUnlockMs = at;
      admin.unlock();
    }
    const rm = controller.config().rm;
    // A service still recorded on a node the file no longer lists waits, by design, for the
    // time a fence that does not cut power waits (the leader's `settleRemoved`).
    if (extendedMs === 0 && ownedOffTheList(cluster.serviceChecker.state().rm, rm.nodes)) {
      // From when the leader began to wait; a leader elected later waits anew (once allowed).
      const settleMs = controller.config().fenceTimings.settleTicks * cluster.setup.tickMs;
      extendedMs = Math.ceil(settleMs * 2.5) + boundMs;
      deadline += extendedMs;
    }
    const live = rm.nodes.filter((id) => cluster.hosts.get(id)?.up);
    unsettled = cluster.serviceChecker.unsettled(rm, live);
    if (unsettled === null) return { failure: null, settledAfterMs: cluster.now() - faultEndMs };
  }
  return {
    failure: `services not settled within ${boundMs + extendedMs}ms after faults stopped: ${unsettled}`,
    settledAfterMs: null,
  };
}

function ownedOffTheList(rm: ResourceManagerState, nodes: readonly NodeId[]): boolean {
  return Object.values(rm.services).some(
    (s) => s.owner !== undefined && !nodes.includes(s.owner) && activeStates.has(s.state),
  );
}

function converged(cluster: SimCluster, statuses: NodeStatus[], probeIndex: number): boolean {
  if (statuses.length < cluster.ids.length) return false;
  const leader = statuses.find((s) => s.role === 'leader');
  if (!leader || leader.commit < probeIndex || leader.commit !== leader.lastIndex) return false;
  // Hosts outside the leader's voting set are no longer fed by it (they may not know yet).
  return statuses
    .filter((s) => leader.voters.includes(s.id))
    .every(
      (s) =>
        s.term === leader.term &&
        s.leader === leader.id &&
        s.commit === leader.commit &&
        cluster.host(s.id).appliedIndex === leader.commit,
    );
}

function describeStall(statuses: NodeStatus[], boundMs: number): string {
  const parts = statuses.map(
    (s) =>
      `${s.id}:${s.role}/t${s.term}/lead=${s.leader ?? '-'}/commit=${s.commit}/last=${s.lastIndex}` +
      `${s.waitingForAll ? '/waiting-for-all' : ''}${s.fenceNeeded ? `/fence-needed=${s.fenceNeeded.node}` : ''}`,
  );
  return `no convergence within ${boundMs}ms after faults stopped: ${parts.join(' ')}`;
}
