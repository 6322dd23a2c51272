import type { NodeId } from '@quorate/core';
import type { Prng } from './prng.js';

/** The conditions every message sees; the fault scheduler changes them between windows. */
export interface LinkConditions {
  lossRate: number;
  duplicateRate: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const CALM_LINKS: LinkConditions = {
  lossRate: 0,
  duplicateRate: 0,
  minDelayMs: 1,
  maxDelayMs: 10,
};

/**
 * Directed links that may be cut one way (asymmetric partitions) and per-message loss, delay
 * (which reorders) and duplication. A message must find its link up both when it is sent and
 * when it would arrive.
 */
export class SimNetwork {
  private readonly cut = new Set<string>();
  conditions: LinkConditions = { ...CALM_LINKS };

  constructor(private readonly random: Prng) {}

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(`${from}>${to}`);
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  restoreLink(from: NodeId, to: NodeId): void {
    this.cut.delete(`${from}>${to}`);
  }

  healAll(): void {
    this.cut.clear();
  }

  /** Cuts every link between the groups, both ways. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (const a of groups) {
      for (const b of groups) {
        if (a === b) continue;
        for (const from of a) for (const to of b) this.cutLink(from, to);
      }
    }
  }

  cutCount(): number {
    return this.cut.size;
  }

  /** Delays (ms) of the copies that will arrive; empty when the message is lost or cut. */
  plan(from: NodeId, to: NodeId): number[] {
    if (this.isCut(from, to)) return [];
    const c = this.conditions;
    if (this.random.chance(c.lossRate)) return [];
    const delays = [this.random.between(c.minDelayMs, c.maxDelayMs)];
    if (this.random.chance(c.duplicateRate)) {
      delays.push(this.random.between(c.minDelayMs, c.maxDelayMs * 2));
    }
    return delays;
  }
}
