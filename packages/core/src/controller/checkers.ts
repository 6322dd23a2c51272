// The safety rules of DESIGN.md §2 that concern services (1, 2, 5) and liveness (6), checked
// from the outside: committed log entries as any node persisted them, the agent operations hosts
// were asked to run, and what the simulated agents say runs where. Nothing here reads a planted
// bug switch or a controller's private state.
import type { LogEntry } from '../consensus/types.js';
import { activeStates, type ServiceState, serviceState } from '../resource-manager/model.js';
import type { RmConfig } from '../resource-manager/rm-config.js';
import { applyEntry, type ControllerState, emptyControllerState } from './replicated-state.js';
import type { SimAgents } from './sim-agents.js';
import type { AgentOp } from './types.js';

export interface Violation {
  readonly rule: 'rule-1' | 'rule-2' | 'rule-5' | 'rule-6' | 'one-owner';
  readonly tick: number;
  readonly message: string;
}

/** What an outsider sees of the world at a moment. */
export interface OutsideView {
  readonly now: number;
  readonly agents: SimAgents;
  /** Powered on and not cut off its storage and network by a fabric fence. */
  isEffective(node: string): boolean;
  /** The tick the node's current process started. */
  startedAt(node: string): number;
  /** Since when the node has been cut off from every quorum of voters (undefined: it is not). */
  isolatedSince(node: string): number | undefined;
  /**
   * How long after being cut off a node may still run services: its service lease, counted from
   * the last time it heard a quorate leader, and a leader stays quorate up to one token after
   * its last acknowledgement, so after the cut: service lease + one token.
   */
  readonly stopDeadlineTicks: number;
}

export interface RecordChange {
  readonly tick: number;
  readonly before: ServiceState;
  readonly after: ServiceState;
}

/** The committed log as an outsider reads it: each index the first time any node commits it. */
export class LogObserver {
  state: ControllerState = emptyControllerState;
  private readonly commitTicks = new Map<number, number>();

  /** Applies `entry` if it is the next index; returns the service records it changed. */
  committed(entry: LogEntry, tick: number): { changes: RecordChange[]; applied: boolean } {
    if (entry.index !== this.state.applied + 1) return { changes: [], applied: false };
    const before = this.state;
    const result = applyEntry(before, entry);
    this.state = result.state;
    this.commitTicks.set(entry.index, tick);
    const changed = result.ok ? result.changed : [];
    const changes = changed.map((after) => ({
      tick,
      before: serviceState(before.rm, after.id),
      after,
    }));
    return { changes, applied: true };
  }

  commitTick(index: number): number | undefined {
    return this.commitTicks.get(index);
  }
}

export class ServiceCheckers {
  readonly violations: Violation[] = [];
  /** `node|service` → tick of the last stop operation a host was asked to run there. */
  private readonly lastStop = new Map<string, number>();

  constructor(private readonly log: LogObserver) {}

  private fail(rule: Violation['rule'], tick: number, message: string): void {
    this.violations.push({ rule, tick, message });
  }

  /**
   * Rule 1: a start runs on a node only while the newest committed record of the service makes
   * that node its owner, written after the node's current process started (never from a
   * replayed log).
   */
  agentOp(node: string, op: AgentOp, view: OutsideView): void {
    if (op.action === 'stop') this.lastStop.set(`${node}|${op.service}`, view.now);
    if (op.action !== 'start') return;
    const s = serviceState(this.log.state.rm, op.service);
    const mark = this.log.state.marks[op.service];
    const wanted = op.purpose === 'transition' ? s.state === 'starting' : s.state === 'started';
    const writtenAt = mark ? (this.log.commitTick(mark.index) ?? -1) : -1;
    if (s.owner !== node || !wanted || writtenAt < view.startedAt(node)) {
      this.fail(
        'rule-1',
        view.now,
        `${node} starts ${op.resource} of ${op.service}, but the log says ${s.state} on ${s.owner ?? 'no node'} (written at tick ${writtenAt}, process started at ${view.startedAt(node)})`,
      );
    }
  }

  /** Rule 2: a service leaves a node only once nothing of it runs there (stopped or fenced). */
  recordChanged(change: RecordChange, view: OutsideView): void {
    const { before, after } = change;
    const from = before.owner;
    if (from === undefined || !activeStates.has(before.state)) return;
    if (after.owner === from && activeStates.has(after.state)) return;
    if (view.isEffective(from) && view.agents.nodesRunning(after.id).includes(from)) {
      this.fail(
        'rule-2',
        view.now,
        `${after.id} moved from ${from} (${before.state} → ${after.state} on ${after.owner ?? 'no node'}) while it still runs there`,
      );
    }
  }

  /** Every tick: at most one node runs a service; an isolated node stops what it runs. */
  afterTick(services: readonly string[], nodes: readonly string[], view: OutsideView): void {
    for (const id of services) {
      const where = view.agents.nodesRunning(id).filter((n) => view.isEffective(n));
      if (where.length > 1)
        this.fail('one-owner', view.now, `${id} runs on ${where.join(' and ')}`);
    }
    for (const node of nodes) this.rule5(node, view);
  }

  /** Rule 5: once its service lease ran out, a cut-off node has asked to stop everything. */
  private rule5(node: string, view: OutsideView): void {
    const since = view.isolatedSince(node);
    if (since === undefined || !view.isEffective(node)) return;
    if (view.now - since <= view.stopDeadlineTicks) return;
    for (const k of view.agents.runningOn(node)) {
      const service = k.slice(0, k.indexOf('/'));
      if ((this.lastStop.get(`${node}|${service}`) ?? -1) >= since) continue;
      this.fail('rule-5', view.now, `${node} is cut off since tick ${since} and still runs ${k}`);
      return;
    }
  }

  /**
   * Rule 6, after the faults stopped and the cluster settled: every enabled service that can
   * run is started on its owner and nowhere else; nothing disabled runs.
   */
  liveness(config: RmConfig, live: readonly string[], view: OutsideView): void {
    for (const svc of config.services) {
      const s = serviceState(this.log.state.rm, svc.id);
      const where = view.agents.nodesRunning(svc.id).filter((n) => view.isEffective(n));
      if (s.state === 'disabled' || s.state === 'stopped') {
        if (where.length > 0)
          this.fail('rule-6', view.now, `${svc.id} is ${s.state} but runs on ${where.join(',')}`);
        continue;
      }
      if (s.state === 'failed' || s.frozen) continue;
      const domain = svc.domain;
      const legal = live.filter((n) => !domain?.restricted || domain.priorities.has(n));
      if (legal.length === 0 || !svc.autostart) continue;
      if (s.state !== 'started' || where.length !== 1 || where[0] !== s.owner) {
        this.fail(
          'rule-6',
          view.now,
          `${svc.id} is ${s.state} on ${s.owner ?? 'no node'} and runs on [${where.join(',')}] after the cluster settled`,
        );
      }
    }
  }
}
