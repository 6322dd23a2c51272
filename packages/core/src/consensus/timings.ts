import type { VotingConfig } from './types.js';

/** The protocol's clocks in ticks, derived from `<totem token>` and the host's tick length. */
export interface Timings {
  /** One token time: failure detection, the minimum election timeout, and the lease. */
  readonly tokenTicks: number;
  /** Leader heartbeat interval: several per token so one lost heartbeat costs no lease. */
  readonly heartbeatTicks: number;
  /** How long a follower stays quorate after it last heard a quorate leader. */
  readonly leaseTicks: number;
  /**
   * How long a leader stays quorate after sending what a quorum of votes acknowledged. Shorter
   * than the token by a fifth, so that with clocks drifting up to 10% apart the leader gives up
   * before the followers who acknowledged it stop refusing to vote for anyone else.
   */
  readonly leaderLeaseTicks: number;
}

export const DEFAULT_TOKEN_MS = 1000;

export function timingsFor(config: VotingConfig, tickMs: number): Timings {
  if (!(tickMs > 0)) throw new Error(`tickMs: must be positive, got ${tickMs}`);
  const tokenTicks = Math.max(4, Math.ceil(config.tokenMs / tickMs));
  return {
    tokenTicks,
    heartbeatTicks: Math.max(1, Math.floor(tokenTicks / 4)),
    leaseTicks: tokenTicks,
    leaderLeaseTicks: Math.max(1, Math.floor((tokenTicks - 1) * 0.8)),
  };
}
