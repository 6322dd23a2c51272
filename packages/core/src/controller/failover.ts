// Simulated failover in ticks (DESIGN.md §7's budget, in the world's logical time): the owner of
// a service loses power; how many ticks until the service runs again on another node. For the
// bench and the tests; pure.
import { testConf } from './test-confs.js';
import { ControllerWorld } from './test-world.js';

export interface FailoverSample {
  /** Ticks from the power loss to the start recorded (and running) on the new owner. */
  readonly ticks: number;
  readonly newOwner: string;
}

const MAX_TICKS = 1000;

export interface FailoverSetting {
  /** Ticks of steady state before the kill (and `offset`); 60 is past post_join_delay. */
  readonly warmupTicks?: number;
  readonly postJoinDelayS?: number;
}

/** One failover: the owner (the leader or a follower) is killed `offset` ticks into a steady state. */
export function measureFailover(
  ownerIsLeader: boolean,
  offset: number,
  setting: FailoverSetting = {},
): FailoverSample {
  // n1 leads (shortest election jitter); the ordered domain puts the service on n1 or n2.
  const prefer = ownerIsLeader ? 'n1' : 'n2';
  const { warmupTicks = 60, postJoinDelayS } = setting;
  const world = new ControllerWorld(testConf({ prefer, statusIntervalS: 3600, postJoinDelayS }));
  for (const id of world.ids) world.boot(id);
  world.tick(warmupTicks + offset);
  const owner = world.observer.state.rm.services['service:svc1']?.owner;
  if (owner !== prefer) throw new Error(`expected the service on ${prefer}, found ${owner}`);
  world.kill(owner);
  for (let t = 1; t <= MAX_TICKS; t++) {
    world.tick();
    const s = world.observer.state.rm.services['service:svc1'];
    if (s?.state === 'started' && s.owner !== owner && s.owner !== undefined) {
      return { ticks: t, newOwner: s.owner };
    }
  }
  throw new Error(`no failover within ${MAX_TICKS} ticks`);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Median and p99 over `samples` kill times. */
export function failoverStats(ownerIsLeader: boolean, samples: number) {
  const ticks = Array.from({ length: samples }, (_, i) => measureFailover(ownerIsLeader, i).ticks);
  ticks.sort((a, b) => a - b);
  return { median: percentile(ticks, 50), p99: percentile(ticks, 99), max: ticks.at(-1) ?? 0 };
}
