import type { NodeId } from '@quorate/core';
import type { SimCluster } from './cluster.js';
import { CALM_LINKS, type LinkConditions } from './network.js';
import type { Prng } from './prng.js';

/**
 * Fault scenes drawn from the seed. Each scene holds for a stability window (two to six token
 * times) so the cluster can react before the world changes again; within a scene a flapping
 * link may still toggle.
 */
export class FaultScheduler {
  private flapGeneration = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: Prng,
    private readonly tokenMs: number,
    private readonly untilMs: number,
  ) {}

  /** Faults end at `untilMs`; actions scheduled earlier check this before they act. */
  private active(): boolean {
    return this.cluster.now() < this.untilMs;
  }

  start(): void {
    this.cluster.queue.after(this.random.between(this.tokenMs, 3 * this.tokenMs), () =>
      this.nextScene(),
    );
  }

  private nextScene(): void {
    if (!this.active()) return;
    this.flapGeneration++;
    this.changeTopology();
    this.cluster.network.conditions = this.drawConditions();
    this.changeNodes();
    const windowMs = this.random.between(2 * this.tokenMs, 6 * this.tokenMs);
    this.cluster.queue.after(windowMs, () => this.nextScene());
  }

  private changeTopology(): void {
    const { cluster, random } = this;
    const ids = cluster.ids;
    const roll = random.next();
    cluster.network.healAll();
    if (roll < 0.3 || ids.length < 2) {
      cluster.trace('network healed');
      return;
    }
    cluster.coverage.partitions++;
    if (roll < 0.5) {
      const shuffled = random.shuffle(ids);
      const cut = random.between(1, ids.length - 1);
      const groups = [shuffled.slice(0, cut), shuffled.slice(cut)];
      cluster.network.partition(groups);
      cluster.trace(`partition ${groups.map((g) => [...g].sort().join(',')).join(' | ')}`);
    } else if (roll < 0.62) {
      const lone = random.pick(ids);
      cluster.network.partition([[lone], ids.filter((id) => id !== lone)]);
      cluster.trace(`partition ${lone} isolated`);
    } else if (roll < 0.85) {
      const cuts: string[] = [];
      const count = random.between(1, ids.length);
      for (let i = 0; i < count; i++) {
        const [from, to] = random.shuffle(ids) as [NodeId, NodeId];
        cluster.network.cutLink(from, to);
        cuts.push(`${from}>${to}`);
      }
      cluster.trace(`asymmetric cut ${cuts.join(' ')}`);
    } else {
      const [a, b] = random.shuffle(ids) as [NodeId, NodeId];
      cluster.trace(`flapping link ${a}<>${b}`);
      this.flap(a, b, this.flapGeneration, true);
    }
  }

  private flap(a: NodeId, b: NodeId, generation: number, down: boolean): void {
    if (generation !== this.flapGeneration || !this.active()) return;
    const network = this.cluster.network;
    if (down) network.partition([[a], [b]]);
    else {
      network.restoreLink(a, b);
      network.restoreLink(b, a);
    }
    const holdMs = this.random.between(this.tokenMs / 4, 2 * this.tokenMs);
    this.cluster.queue.after(holdMs, () => this.flap(a, b, generation, !down));
  }

  private drawConditions(): LinkConditions {
    const random = this.random;
    if (random.chance(0.3)) return { ...CALM_LINKS };
    const maxDelayMs = random.pick([10, 50, 150, Math.floor(this.tokenMs / 2)]);
    return {
      lossRate: random.pick([0, 0.01, 0.05, 0.2, 0.4]),
      duplicateRate: random.pick([0, 0.02, 0.1]),
      minDelayMs: 1,
      maxDelayMs,
    };
  }

  /** A host that keeps crashing and being restarted by its supervisor for one window. */
  private crashLoop(id: NodeId): void {
    const { cluster, random } = this;
    cluster.trace(`${id} crash-looping`);
    let at = 0;
    for (let i = random.between(2, 5); i > 0; i--) {
      at += random.between(50, this.tokenMs);
      const torn = random.chance(0.3);
      cluster.queue.after(at, () => this.active() && cluster.crash(id, torn));
      at += random.between(20, this.tokenMs / 2);
      cluster.queue.after(at, () => this.active() && cluster.restart(id));
    }
  }

  private changeNodes(): void {
    const { cluster, random } = this;
    const up = cluster.ids.filter((id) => cluster.host(id).up);
    const down = cluster.ids.filter((id) => !cluster.host(id).up);
    if (down.length > 0 && random.chance(0.45)) cluster.restart(random.pick(down));
    if (up.length > 0 && random.chance(0.3)) {
      const victim = random.pick(up);
      const torn = random.chance(0.5);
      // Half the untorn crashes are power losses: every resource on the host stops too.
      cluster.crash(victim, torn, !torn && random.chance(0.5));
      // Half the crashes are process crashes that a supervisor restarts within moments.
      if (random.chance(0.5)) {
        const delayMs = random.between(20, this.tokenMs / 2);
        cluster.queue.after(delayMs, () => this.active() && cluster.restart(victim));
      }
      if (torn) {
        // A host that writes nothing for a while still dies, just without tearing anything.
        cluster.queue.after(this.tokenMs, () => {
          if (cluster.host(victim).crashAtNextWrite) cluster.crash(victim, false);
        });
      }
    }
    if (up.length > 0 && random.chance(0.1)) this.crashLoop(random.pick(up));
    if (up.length > 0 && random.chance(0.3)) {
      const host = random.pick(up);
      const key = cluster.agents.crashOne(host);
      if (key) cluster.trace(`${key} crashed on ${host}`);
    }
    if (up.length > 0 && random.chance(0.2)) {
      cluster.pause(random.pick(up), random.between(this.tokenMs / 3, 4 * this.tokenMs));
    }
  }
}

/** A client that proposes commands to whichever hosts claim to lead. */
export class Workload {
  private sequence = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: Prng,
  ) {}

  /**
   * Busy spells (a proposal every 50-400 ms) alternate with idle ones (most clusters are idle
   * most of the time, and an idle cluster is where stale logs stop protecting against a rogue
   * election, so leases have to).
   */
  start(untilMs: number): void {
    let busyUntilMs = 0;
    let idleUntilMs = 0;
    const step = (): void => {
      const now = this.cluster.now();
      if (now >= untilMs) return;
      if (now >= busyUntilMs && now >= idleUntilMs) {
        if (this.random.chance(0.5)) busyUntilMs = now + this.random.between(1000, 8000);
        else idleUntilMs = now + this.random.between(1000, 8000);
      }
      if (now < busyUntilMs) this.proposeOnce();
      this.cluster.queue.after(this.random.between(50, 400), step);
    };
    this.cluster.queue.after(this.random.between(50, 400), step);
  }

  /** Proposes to every host that currently leads; returns the ids that accepted. */
  proposeOnce(): NodeId[] {
    const accepted: NodeId[] = [];
    for (const status of this.cluster.statuses()) {
      if (status.role !== 'leader') continue;
      const data = `c${++this.sequence}`;
      if (this.cluster.propose(status.id, data)) accepted.push(status.id);
    }
    return accepted;
  }
}

/**
 * An administrator (or a package upgrade) stopping ricci cleanly every 5–20 s: the node leaves
 * (`cman_tool leave`) and its supervisor starts it again one to four token times later.
 */
export class LeaveWorkload {
  constructor(
    private readonly cluster: SimCluster,
    private readonly random: Prng,
    private readonly tokenMs: number,
  ) {}

  start(untilMs: number): void {
    const step = (): void => {
      const cluster = this.cluster;
      if (cluster.now() >= untilMs) return;
      const up = cluster.ids.filter((id) => cluster.host(id).up);
      if (up.length > 0) {
        const id = this.random.pick(up);
        const backMs = this.random.between(this.tokenMs, 4 * this.tokenMs);
        cluster.leave(id, () => cluster.queue.after(backMs, () => cluster.restart(id)));
      }
      cluster.queue.after(this.random.between(5000, 20_000), step);
    };
    this.cluster.queue.after(this.random.between(5000, 20_000), step);
  }
}
