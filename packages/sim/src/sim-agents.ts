import type { AgentOp, NodeId } from '@quorate/core';
import type { EventQueue } from './event-queue.js';
import type { Prng } from './prng.js';

/** OCF exit codes the simulated agents answer with. */
export const OCF_SUCCESS = 0;
export const OCF_ERR_GENERIC = 1;
export const OCF_NOT_RUNNING = 7;

/** Per operation, the chance it fails at once, or hangs until the runner's timeout kills it. */
export interface AgentFaultRates {
  readonly failRate: number;
  readonly hangRate: number;
}

export const NO_AGENT_FAULTS: AgentFaultRates = { failRate: 0, hangRate: 0 };

/** `service/resource`: one resource of one service, as the checkers count it. */
export const resourceKey = (op: Pick<AgentOp, 'service' | 'resource'>): string =>
  `${op.service}/${op.resource}`;

/**
 * The simulated resource agents of every host. An operation takes 5–400 ms of simulated time
 * (a hang takes its whole timeout and fails, as the agent runner's kill does); its effect lands
 * when it ends. A resource keeps running on a host until a stop succeeds there, a migration moves
 * it, it crashes on its own, or the host loses power. When the agent process (ricci) dies, its
 * operations in flight die with it (systemd kills the control group) and change nothing.
 */
export class SimResourceAgents {
  private readonly running = new Map<NodeId, Set<string>>();
  /** Bumped when a host's agent process dies: operations of older generations vanish. */
  private readonly generation = new Map<NodeId, number>();
  rates: AgentFaultRates = NO_AGENT_FAULTS;
  /** When set, every operation that neither fails nor hangs takes exactly this long. */
  fixedDurationMs: number | null = null;
  /** The ends of the hung operations still in flight. */
  private readonly hung = new Set<() => void>();
  operations = 0;
  failures = 0;
  hangs = 0;
  crashes = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly random: Prng,
    /** Called when a start or migration makes `key` run on `node`. */
    private readonly onRunning: (node: NodeId, key: string) => void,
  ) {}

  private set(node: NodeId): Set<string> {
    let set = this.running.get(node);
    if (!set) {
      set = new Set();
      this.running.set(node, set);
    }
    return set;
  }

  /** Runs `op` on `node`; `done(code)` is called when it ends, unless the process died first. */
  run(node: NodeId, op: AgentOp, done: (code: number) => void): void {
    this.operations++;
    const generation = this.generation.get(node) ?? 0;
    const roll = this.random.next();
    const hang = roll < this.rates.hangRate;
    const fail = !hang && roll < this.rates.hangRate + this.rates.failRate;
    // A failed start may still have started something (the agent gave up half way).
    const halfStarted = fail && op.action === 'start' && this.random.chance(0.5);
    const durationMs = hang
      ? op.timeoutMs
      : (this.fixedDurationMs ??
        this.random.between(5, Math.max(5, Math.min(400, op.timeoutMs / 2))));
    if (hang) this.hangs++;
    if (fail) this.failures++;
    let ended = false;
    const end = (): void => {
      if (ended || (this.generation.get(node) ?? 0) !== generation) return;
      ended = true;
      this.hung.delete(end);
      if (hang || fail) {
        if (halfStarted) this.start(node, resourceKey(op));
        done(OCF_ERR_GENERIC);
        return;
      }
      done(this.apply(node, op));
    };
    if (hang) this.hung.add(end);
    this.queue.after(durationMs, end);
  }

  /**
   * Faults stop: no new operation fails or hangs, and the hung ones are killed now (they fail,
   * as at their timeout), so that the liveness bound does not have to include a 60 s timeout.
   */
  heal(): void {
    this.rates = NO_AGENT_FAULTS;
    const hung = [...this.hung];
    this.hung.clear();
    for (const end of hung) this.queue.after(1, end);
  }

  private apply(node: NodeId, op: AgentOp): number {
    const key = resourceKey(op);
    switch (op.action) {
      case 'start':
        this.start(node, key);
        return OCF_SUCCESS;
      case 'stop':
        this.set(node).delete(key);
        return OCF_SUCCESS;
      case 'status':
        return this.set(node).has(key) ? OCF_SUCCESS : OCF_NOT_RUNNING;
      case 'migrate':
        if (op.target !== undefined && this.set(node).delete(key)) this.start(op.target, key);
        return OCF_SUCCESS;
      case 'reconfig':
        return OCF_SUCCESS;
    }
  }

  private start(node: NodeId, key: string): void {
    const set = this.set(node);
    if (set.has(key)) return;
    set.add(key);
    this.onRunning(node, key);
  }

  /** A resource dies on its own (a crashed daemon): the next status check finds it gone. */
  crashOne(node: NodeId): string | null {
    const keys = [...this.set(node)].sort();
    if (keys.length === 0) return null;
    const key = this.random.pick(keys);
    this.set(node).delete(key);
    this.crashes++;
    return key;
  }

  /** Everything on the host is stopped by hand (its agents' own stops, not a power loss). */
  stopAll(node: NodeId): void {
    this.running.delete(node);
  }

  /** The agent process died: its operations in flight vanish; resources keep running. */
  processDied(node: NodeId): void {
    this.generation.set(node, (this.generation.get(node) ?? 0) + 1);
  }

  /** Power off: everything on the host stops at once. */
  powerOff(node: NodeId): void {
    this.processDied(node);
    this.running.delete(node);
  }

  runningOn(node: NodeId): string[] {
    return [...(this.running.get(node) ?? [])].sort();
  }

  /** The hosts where `key` (`service/resource`) runs. */
  hostsRunning(key: string): NodeId[] {
    const hosts: NodeId[] = [];
    for (const [node, set] of this.running) if (set.has(key)) hosts.push(node);
    return hosts.sort();
  }

  /** The hosts where any resource of `service` runs. */
  hostsRunningService(service: string): NodeId[] {
    const hosts: NodeId[] = [];
    for (const [node, set] of this.running) {
      if ([...set].some((k) => k.startsWith(`${service}/`))) hosts.push(node);
    }
    return hosts.sort();
  }
}
