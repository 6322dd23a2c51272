// A deterministic multi-node world for controller tests and transcripts (pure, no I/O): N
// controllers, one FIFO of messages, cut links, in-memory disks, simulated resource agents and
// fence devices, and the outside checkers watching every tick. Not exported from the package.

import { timingsFor } from '../consensus/timings.js';
import type { HardState, LogEntry, PersistRecord, Snapshot } from '../consensus/types.js';
import { votingConfigOf } from '../consensus/voting-rule.js';
import { LogObserver, type OutsideView, ServiceCheckers } from './checkers.js';
import { ServiceController } from './controller.js';
import { type ControllerConfig, serviceLeaseTicks } from './controller-config.js';
import { SimAgents } from './sim-agents.js';
import { type FenceCompletion, SimFenceDevices } from './sim-fence-devices.js';
import type { ControllerBug, ControllerEvent, ControllerInput, ControllerReady } from './types.js';
import { describeEvent, describeRecord } from './world-print.js';

class MemoryDisk {
  hardState: HardState | null = null;
  snapshot: Snapshot | undefined;
  entries: LogEntry[] = [];

  write(records: readonly PersistRecord[]): void {
    for (const r of records) {
      const offset = this.snapshot?.index ?? 0;
      if (r.kind === 'hard-state') this.hardState = r.state;
      else if (r.kind === 'snapshot') {
        this.entries = r.retainLog
          ? this.entries.slice(Math.max(0, r.snapshot.index - offset))
          : [];
        this.snapshot = r.snapshot;
      } else if (r.entries[0]) {
        this.entries.length = Math.min(this.entries.length, r.entries[0].index - 1 - offset);
        this.entries.push(...r.entries);
      }
    }
  }

  restore() {
    if (!this.hardState) return undefined;
    const base = { hardState: this.hardState, entries: [...this.entries] };
    return this.snapshot ? { ...base, snapshot: this.snapshot } : base;
  }
}

type Message =
  | ControllerReady['messages'][number]
  | ControllerReady['consensus']['messages'][number];

export interface WorldOptions {
  readonly tickMs?: number;
  readonly plant?: ControllerBug | null;
  /** Ticks a power-fenced node stays off before it boots again (its `reboot`). */
  readonly rebootTicks?: number;
  /** Print every agent operation (otherwise status checks and probes that pass are quiet). */
  readonly verbose?: boolean;
}

export class ControllerWorld {
  readonly ids: string[];
  readonly tickMs: number;
  readonly agents: SimAgents;
  readonly fences = new SimFenceDevices();
  readonly observer = new LogObserver();
  readonly checkers = new ServiceCheckers(this.observer);
  readonly nodes = new Map<string, ServiceController>();
  private readonly disks = new Map<string, MemoryDisk>();
  private readonly started = new Map<string, number>();
  private readonly fabricCut = new Set<string>();
  private readonly reboots = new Map<string, number>();
  private readonly fenceIssuer = new Map<string, string>();
  private readonly isolated = new Map<string, number>();
  readonly cut = new Set<string>();
  /** Message types lost on every link (a reply lost to a leader change, say). */
  readonly lostTypes = new Set<string>();
  private queue: Message[] = [];
  now = 0;
  /** Lines printed since the last `takeOutput()`. */
  private out: string[] = [];
  readonly events: Array<{ node: string; event: ControllerEvent }> = [];
  /** Every agent operation a host was asked to run, oldest first. */
  readonly agentOps: Array<{
    node: string;
    tick: number;
    op: ControllerReady['agentOps'][number];
  }> = [];
  readonly lease: number;
  readonly tokenTicks: number;
  private readonly twoNode: boolean;

  constructor(
    readonly confText: string,
    readonly options: WorldOptions = {},
  ) {
    const voting = votingConfigOf(confText);
    this.ids = voting.voters.map((v) => v.id);
    this.twoNode = voting.twoNode ?? false;
    this.tickMs = options.tickMs ?? 100;
    this.agents = new SimAgents(this.tickMs);
    for (const id of this.ids) this.disks.set(id, new MemoryDisk());
    const timings = timingsFor(voting, this.tickMs);
    this.tokenTicks = timings.tokenTicks;
    this.lease = serviceLeaseTicks(timings);
  }

  takeOutput(): string[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  print(line: string): void {
    this.out.push(`[${this.now}] ${line}`);
  }

  isUp(id: string): boolean {
    return this.nodes.has(id);
  }

  boot(id: string): void {
    if (this.nodes.has(id)) throw new Error(`${id}: already running`);
    const rank = this.ids.indexOf(id);
    if (rank < 0) throw new Error(`${id}: not a node of this cluster`);
    const restored = this.disks.get(id)!.restore();
    const ctrl = new ServiceController({
      id,
      config: votingConfigOf(this.confText),
      tickMs: this.tickMs,
      random: { nextInt: (bound) => Math.min(bound - 1, Math.floor((rank * bound) / 3)) },
      clusterConf: this.confText,
      controllerPlant: this.options.plant ?? null,
      ...(restored ? { restored } : {}),
    });
    this.nodes.set(id, ctrl);
    this.started.set(id, this.now);
    this.flush(id);
  }

  /** Power off: the node and everything it ran stop at once. */
  kill(id: string): void {
    this.nodes.delete(id);
    this.agents.powerOff(id);
    this.cancelFences(id);
    this.queue = this.queue.filter((m) => m.to !== id && m.from !== id);
  }

  /** The agent process dies and starts again; the resources it ran keep running. */
  /** The goodbye is out: the process exits; what its agents run keeps running. */
  private exitAfterLeave(id: string): void {
    this.nodes.delete(id);
    this.cancelFences(id);
    this.queue = this.queue.filter((m) => m.to !== id);
    this.print(`${id} left the cluster and stopped`);
  }

  restart(id: string): void {
    this.nodes.delete(id);
    this.agents.processDied(id);
    this.cancelFences(id);
    this.queue = this.queue.filter((m) => m.to !== id && m.from !== id);
    this.boot(id);
  }

  /** Fence agents the node ran die with it. */
  private cancelFences(id: string): void {
    const mine = `${id}@${this.started.get(id)}`;
    const ops = [...this.fenceIssuer].filter(([, issuer]) => issuer === mine).map(([op]) => op);
    this.fences.cancel(new Set(ops));
  }

  isolate(id: string): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  recover(): void {
    this.cut.clear();
  }

  step(id: string, input: ControllerInput): void {
    const ctrl = this.nodes.get(id);
    if (!ctrl) return;
    ctrl.step(input);
    this.flush(id);
  }

  /** Hands out and acts on everything the node's `ready()` holds. */
  flush(id: string): void {
    for (let round = 0; round < 50; round++) {
      const ctrl = this.nodes.get(id);
      if (!ctrl?.hasReady()) break;
      const ready = ctrl.ready();
      this.disks.get(id)!.write(ready.consensus.persist);
      this.queue.push(...ready.consensus.messages, ...ready.messages);
      ctrl.advance(ready);
      this.observe(ready);
      for (const op of ready.agentOps) {
        this.agentOps.push({ node: id, tick: this.now, op });
        this.checkers.agentOp(id, op, this.view());
        this.agents.submit(id, op, this.now);
      }
      for (const op of ready.fenceOps) {
        this.fenceIssuer.set(op.opId, `${id}@${this.started.get(id)}`);
        this.fences.submit(op, this.now);
      }
      for (const event of ready.events) {
        this.events.push({ node: id, event });
        const line = describeEvent(event);
        if (line) this.print(`${id}: ${line}`);
      }
    }
    if (this.nodes.get(id)?.node.status().left) this.exitAfterLeave(id);
  }

  private observe(ready: ControllerReady): void {
    for (const entry of ready.consensus.committed) {
      const { changes, applied } = this.observer.committed(entry, this.now);
      if (!applied) continue;
      for (const change of changes) {
        this.checkers.recordChanged(change, this.view());
        this.print(describeRecord(change.after));
      }
      if (entry.kind === 'fence') {
        const f = JSON.parse(entry.data) as { node: string; incarnation: number; by: string };
        this.print(
          `log: ${f.node} (incarnation ${f.incarnation}) fenced by ${f.by}, which leads alone (two_node)`,
        );
      }
      const data = entry.kind === 'command' ? entry.data : '';
      const lock = /"locked":(true|false)/.exec(data);
      if (lock) this.print(`log: resource groups ${lock[1] === 'true' ? 'locked' : 'unlocked'}`);
      if (data.includes('"node-lost"') || data.includes('"fenced"')) {
        const c = JSON.parse(data) as {
          type: string;
          node: string;
          incarnation: number;
          method?: string;
          requested?: boolean;
        };
        const what = c.type === 'fenced' ? `fenced by ${c.method}` : 'lost';
        const why = c.requested ? ' (fence_node)' : '';
        this.print(`log: ${c.node} (incarnation ${c.incarnation}) ${what}${why}`);
      }
    }
  }

  tick(times = 1): void {
    for (let i = 0; i < times; i++) this.tickOnce();
  }

  private tickOnce(): void {
    this.now++;
    for (const id of this.ids) {
      const ctrl = this.nodes.get(id);
      if (!ctrl) continue;
      ctrl.tick();
      this.flush(id);
    }
    this.deliver();
    for (const done of this.agents.due(this.now)) this.agentDone(done.node, done.op, done.code);
    for (const done of this.fences.due(this.now)) this.fenceDone(done);
    this.deliver();
    for (const [id, at] of this.reboots) {
      if (at > this.now) continue;
      this.reboots.delete(id);
      if (!this.nodes.has(id)) this.boot(id);
    }
    this.trackIsolation();
    this.checkers.afterTick([...(this.anyConfig()?.plans.keys() ?? [])], this.ids, this.view());
  }

  private agentDone(node: string, op: ControllerReady['agentOps'][number], code: number): void {
    if (!this.nodes.has(node)) return;
    const print =
      this.options.verbose ||
      op.purpose === 'transition' ||
      op.purpose === 'emergency-stop' ||
      op.purpose === 'inline-recovery' ||
      op.purpose === 'config-change' ||
      (op.purpose === 'status' && code !== 0) ||
      (op.purpose === 'probe' && code === 0);
    if (print) {
      const result =
        code === 0 ? 'ok' : op.action === 'status' && code === 7 ? 'not running' : `exit ${code}`;
      const depth = op.action === 'status' ? ` depth ${op.depth}` : '';
      this.print(
        `${node}: ${op.action}${depth} ${op.resource} (${op.service}, ${op.purpose}): ${result}`,
      );
    }
    this.step(node, { type: 'agent-result', opId: op.opId, code });
  }

  private fenceDone(done: FenceCompletion): void {
    const victim = done.op.victim;
    if (done.op.params.action === 'monitor') {
      this.fenceResultTo(done);
      return;
    }
    const verb = done.op.params.action === 'on' ? 'unfences' : 'against';
    const result = done.ok ? 'ok' : 'failed';
    this.print(`${done.op.device} (${done.op.agent}) ${verb} ${victim}: ${result}`);
    if (done.effect === 'power-off' && this.nodes.has(victim)) {
      this.kill(victim);
      this.reboots.set(victim, this.now + (this.options.rebootTicks ?? 40));
    } else if (done.effect === 'power-off') {
      this.agents.powerOff(victim);
    } else if (done.effect === 'fabric-cut') {
      this.fabricCut.add(victim);
    } else if (done.effect === 'unfence') {
      this.fabricCut.delete(victim);
    }
    this.fenceResultTo(done);
  }

  private fenceResultTo(done: FenceCompletion): void {
    const issuer = this.fenceIssuer.get(done.op.opId);
    const [node, startedAt] = (issuer ?? '@').split('@');
    if (node && this.nodes.has(node) && String(this.started.get(node)) === startedAt) {
      this.step(node, { type: 'fence-result', opId: done.op.opId, ok: done.ok });
    }
  }

  private deliver(): void {
    for (let n = 0; this.queue.length > 0 && n < 100_000; n++) {
      const m = this.queue.shift()!;
      if (!this.nodes.has(m.to) || this.cut.has(`${m.from}>${m.to}`)) continue;
      if (this.lostTypes.has(m.type)) continue;
      this.step(m.to, m as ControllerInput);
    }
  }

  /** Which nodes cannot exchange messages with a majority of the (one-vote) nodes. */
  private trackIsolation(): void {
    const quorum = Math.floor(this.ids.length / 2) + 1;
    for (const id of this.ids) {
      const reach = this.ids.filter(
        (o) =>
          o === id ||
          (this.nodes.has(o) && !this.cut.has(`${id}>${o}`) && !this.cut.has(`${o}>${id}`)),
      );
      // two_node: a lone node whose peer is off is the cluster (after its fence).
      const peersDown = this.ids.every((o) => o === id || !this.nodes.has(o));
      const lone = this.twoNode && peersDown;
      const cutOff = this.nodes.has(id) && reach.length < quorum && !lone;
      if (!cutOff) this.isolated.delete(id);
      else if (!this.isolated.has(id)) this.isolated.set(id, this.now);
    }
  }

  private anyConfig(): ControllerConfig | undefined {
    for (const ctrl of this.nodes.values()) return ctrl.config();
    return undefined;
  }

  view(): OutsideView {
    return {
      now: this.now,
      agents: this.agents,
      isEffective: (n) => !this.fabricCut.has(n),
      startedAt: (n) => this.started.get(n) ?? 0,
      isolatedSince: (n) => this.isolated.get(n),
      stopDeadlineTicks: this.lease + this.tokenTicks + 1,
    };
  }

  /** Rule 6: call after the faults stopped and the cluster had time to settle. */
  checkLiveness(): void {
    const config = this.anyConfig();
    if (config) this.checkers.liveness(config.rm, [...this.nodes.keys()], this.view());
  }

  /** The first request-result event for `id` since the call, or undefined. */
  requestResult(id: string) {
    for (const { event } of this.events) {
      if (event.type === 'request-result' && event.id === id) return event;
    }
    return undefined;
  }
}
