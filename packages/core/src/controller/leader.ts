// The leader's half: it alone decides. It keeps the state its own proposals lead to (committed
// state plus what it appended since), records losses, fences before it recovers, evaluates
// placement, turns executors' reports and administrators' requests into records, and answers
// requests once their records are committed.
import type { NodeId } from '../consensus/types.js';
import { placeAll } from '../resource-manager/evaluate.js';
import type { ResourceManagerState } from '../resource-manager/model.js';
import { activeStates, serviceState } from '../resource-manager/model.js';
import { type AgentReport, applyReport } from '../resource-manager/reports.js';
import type { RequestOutcome, RmRequest } from '../resource-manager/request-model.js';
import { applyRequest } from '../resource-manager/requests.js';
import type { ControllerConfig } from './controller-config.js';
import { DEVICE_MONITOR_INTERVAL_MS, DeviceMonitor } from './device-monitor.js';
import { FenceRun, type FenceTimings } from './fencer.js';
import { type DeskRecord, RETRY } from './leader-desk.js';
import { ownsActive, recoverNotFound, strayStop } from './probe-records.js';
import {
  applyCommand,
  awaitingFence,
  type ControllerCommand,
  type ControllerState,
  encodeCommand,
  probeCurrent,
} from './replicated-state.js';
import type { ControllerBug, ControllerEvent, FenceOp } from './types.js';

export interface LeaderHost {
  readonly self: NodeId;
  readonly tickMs: number;
  /** Appends to the log; the index, or null when this node is no longer the leader. */
  propose(data: string): number | null;
  term(): number;
  members(): readonly NodeId[];
  /** The nodes of the newest cluster.conf in the log: nothing is placed on any other. */
  configured(): ReadonlySet<NodeId>;
  /** Peers that left cleanly, with the incarnation that left (it stopped everything first). */
  leftCleanly(): ReadonlyMap<NodeId, number>;
  /** This node is leaving: nothing more is placed on it. */
  leaving(): boolean;
  incarnationOf(node: NodeId): number | undefined;
  fenceOp(op: FenceOp): void;
  event(event: ControllerEvent): void;
  reply(to: NodeId, requestId: string, outcome: RequestOutcome | undefined): void;
  /** Asks the owner to restart the stopped non-critical parts of a service. */
  convalesce(owner: NodeId, service: string, transition: number): void;
}

interface PendingReply {
  readonly index: number;
  readonly to: NodeId;
  readonly requestId: string;
  readonly outcome: RequestOutcome;
}

export class Leader {
  proposed: ControllerState;
  private memberTransition = true;
  private readonly fences = new Map<NodeId, FenceRun>();
  /** Removed owners of services out of the membership, since the tick this leader saw it. */
  private readonly removedSince = new Map<NodeId, number>();
  private readonly probes = new Map<NodeId, { incarnation: number; running: readonly string[] }>();
  private replies: PendingReply[] = [];
  private readonly monitor: DeviceMonitor;
  /** Absent owners of running services are fenced from this tick on (`post_join_delay`). */
  private readonly startupFenceAt: number;

  constructor(
    private readonly host: LeaderHost,
    committed: ControllerState,
    private readonly currentConfig: () => ControllerConfig,
    private readonly plant: ControllerBug | null,
    now: number,
  ) {
    this.proposed = committed;
    const interval = Math.ceil(DEVICE_MONITOR_INTERVAL_MS / host.tickMs);
    this.monitor = new DeviceMonitor(host.self, interval, now, {
      op: (op) => host.fenceOp(op),
      event: (e) => host.event(e),
    });
    // fenced's post_join_delay counts from this node's start, not from its leadership: a leader
    // elected after a failover fences absent owners at once.
    this.startupFenceAt = currentConfig().postJoinDelayTicks;
    this.reassert(now);
    for (const [node, incarnation] of host.leftCleanly()) this.recordLeave(node, incarnation, now);
  }

  /** The newest committed configuration (it may change while this node leads). */
  private get config(): ControllerConfig {
    return this.currentConfig();
  }

  atMs(now: number): number {
    return Math.max(now * this.host.tickMs, this.proposed.stampMs);
  }

  /** Appends a command none of the leader's decisions depends on (a console trust change). */
  append(command: ControllerCommand): number | null {
    return this.propose(command);
  }

  private propose(command: ControllerCommand): number | null {
    const index = this.host.propose(encodeCommand(command));
    if (index === null) return null;
    this.proposed = applyCommand(this.proposed, command, index, this.host.term()).state;
    return index;
  }

  /**
   * A new term re-issues every record in flight (or those of one node, after its probe), so
   * executors act on them in this term.
   */
  private reassert(now: number, owner?: NodeId): void {
    const records = Object.values(this.proposed.rm.services).filter(
      (s) =>
        ['starting', 'stopping', 'migrating'].includes(s.state) &&
        (owner === undefined || s.owner === owner),
    );
    if (records.length === 0) return;
    this.propose({ v: 1, type: 'services', atMs: this.atMs(now), records, reassert: true });
  }

  /** Proposes the records that differ between the state and `next`. */
  private proposeRm(next: ResourceManagerState, now: number): number | null {
    const before = this.proposed.rm;
    const records = Object.values(next.services).filter((s) => before.services[s.id] !== s);
    if (records.length === 0 && next.locked === before.locked) return null;
    const locked = next.locked === before.locked ? undefined : next.locked;
    return this.propose({
      v: 1,
      type: 'services',
      atMs: this.atMs(now),
      records,
      ...(locked === undefined ? {} : { locked }),
    });
  }

  membershipChanged(lost: readonly NodeId[], now: number): void {
    this.memberTransition = true;
    for (const node of lost) this.recordLoss(node, now);
  }

  configChanged(): void {
    this.memberTransition = true;
  }

  private recordLoss(node: NodeId, now: number): void {
    if (node === this.host.self || !this.config.rm.nodes.includes(node)) return;
    const incarnation = this.knownIncarnation(node);
    const open = this.proposed.lost[node];
    if (open?.incarnation === incarnation && awaitingFence(this.proposed, node)) return;
    // An incarnation already fenced (a two_node take-over fences before it leads) is gone.
    if ((this.proposed.fenced[node]?.incarnation ?? -1) >= incarnation) return;
    this.host.event({ type: 'node-lost', node, incarnation });
    this.propose({ v: 1, type: 'node-lost', atMs: this.atMs(now), node, incarnation });
  }

  /**
   * A clean leave stands for a fence of the incarnation that left: it stopped everything
   * before it said goodbye. An older incarnation's goodbye, or one already counted, is ignored.
   */
  recordLeave(node: NodeId, incarnation: number | undefined, now: number): void {
    if (incarnation === undefined || node === this.host.self) return;
    if (this.host.members().includes(node)) return;
    if (incarnation < this.knownIncarnation(node)) return;
    if ((this.proposed.fenced[node]?.incarnation ?? -1) >= incarnation) return;
    const atMs = this.atMs(now);
    this.propose({ v: 1, type: 'fenced', atMs, node, incarnation, method: 'leave' });
    this.memberTransition = true;
  }

  /** The executor's probe from a (re)started node: adopt what runs where the log agrees. */
  probe(node: NodeId, incarnation: number, running: readonly string[]): void {
    this.probes.set(node, { incarnation, running });
  }

  tick(now: number): void {
    this.monitor.tick(this.config.conf, now);
    this.startupFencing(now);
    this.fencing(now);
    this.settleRemoved(now);
    this.acceptProbes(now);
    this.evaluate(now);
  }

  private placementMembers(): NodeId[] {
    const configured = this.host.configured();
    return this.host.members().filter((n) => {
      if (!configured.has(n) || (n === this.host.self && this.host.leaving())) return false;
      const inc = this.host.incarnationOf(n);
      return inc !== undefined && probeCurrent(this.proposed, n, inc);
    });
  }

  /**
   * Nodes whose services wait: absent and not fenced since their last loss, or members whose
   * current incarnation has not reported its probe yet.
   */
  awaitingFence(): NodeId[] {
    if (this.plant === 'recover-before-fence') return [];
    const members = new Set(this.host.members());
    const accept = this.plant === 'accept-old-incarnation-fence';
    const waiting = this.config.rm.nodes.filter((n) => {
      if (!members.has(n)) return !this.fencedSinceSeen(n, accept);
      // A member that restarted keeps its services until its probe says what still runs there;
      // one that came back with the same incarnation is their owner as before. A member an
      // administrator had fenced (a fabric fence leaves it running, cut off) owns nothing more.
      const inc = this.host.incarnationOf(n);
      if (inc !== undefined && this.fencedOnRequest(n, inc)) return false;
      return inc === undefined || !probeCurrent(this.proposed, n, inc);
    });
    // A leader that is leaving keeps its services where they are until its goodbye.
    const self = this.host.leaving() ? [this.host.self] : [];
    return [...waiting, ...this.removedOwners(accept), ...self];
  }

  /**
   * Owners of active services that the configuration no longer lists (a probe accepted while
   * the removal was on its way, a removal committed by an older version): their services wait
   * for their stop report, or for `settleRemoved`, never for nothing.
   */
  private removedOwners(accept: boolean): NodeId[] {
    return this.ownersNotListed().filter((n) => !this.fencedSinceSeen(n, accept));
  }

  private ownersNotListed(): NodeId[] {
    const listed = new Set(this.config.rm.nodes);
    const owners = new Set<NodeId>();
    for (const s of Object.values(this.proposed.rm.services)) {
      if (s.owner !== undefined && !listed.has(s.owner) && activeStates.has(s.state))
        owners.add(s.owner);
    }
    return [...owners];
  }

  /**
   * A removed node has no fence methods any more, but it needs none: it stops everything once
   * it learns of its removal, and a removed node hears no leader, so its service lease stops it
   * anyway. Once this leader has seen it removed for the time a fence that does not cut power
   * waits (service lease, drift, longest stop), the leader records it as fenced by removal
   * (the simulator, seed 7993: a stray recorded on a node whose removal then committed).
   */
  private settleRemoved(now: number): void {
    // Counted whether or not the node is still heard (a removed node may still campaign): no
    // leader sends it entries any more, so it cannot stay quorate.
    const waiting = new Set(this.removedOwners(false));
    for (const n of this.removedSince.keys()) if (!waiting.has(n)) this.removedSince.delete(n);
    for (const node of waiting) {
      const since = this.removedSince.get(node) ?? now;
      this.removedSince.set(node, since);
      if (now - since < this.config.fenceTimings.settleTicks) continue;
      this.removedSince.delete(node);
      const incarnation = this.knownIncarnation(node);
      this.propose({
        v: 1,
        type: 'fenced',
        atMs: this.atMs(now),
        node,
        incarnation,
        method: 'removed',
      });
      this.memberTransition = true;
    }
  }

  /**
   * An absent node is safe once a fence of the newest incarnation this leader knows of it
   * succeeded and was committed after its newest recorded loss. Until its loss is recorded, a
   * fence of an earlier incarnation (it rebooted and rejoined since) does not count.
   */
  private fencedSinceSeen(node: NodeId, acceptAny: boolean): boolean {
    const fenced = this.proposed.fenced[node];
    if (!fenced) return false;
    if (acceptAny) return true;
    const lost = this.proposed.lost[node];
    // The simulator (seeds 9, 54, 77, 86, 101): a new leader that never heard the node counted
    // a fence of an older incarnation than the one the log's probe record names.
    const known = this.knownIncarnation(node);
    return fenced.incarnation >= known && (!lost || fenced.index > lost.index);
  }

  /** The newest incarnation of `node` this leader heard of, or the log's probe of it. */
  private knownIncarnation(node: NodeId): number {
    // The newest of what this leader heard and what the log records (probe, loss).
    return Math.max(
      this.host.incarnationOf(node) ?? 0,
      this.proposed.probed[node]?.incarnation ?? 0,
      this.proposed.lost[node]?.incarnation ?? 0,
    );
  }

  private startupFencing(now: number): void {
    if (now < this.startupFenceAt) return;
    const members = new Set(this.host.members());
    for (const n of this.config.rm.nodes) {
      // A loss recorded for an older incarnation than the log knows does not count.
      const lost = this.proposed.lost[n];
      const recorded = lost !== undefined && lost.incarnation >= this.knownIncarnation(n);
      if (members.has(n) || recorded || !ownsActive(this.proposed.rm, n)) continue;
      if (this.config.cleanStart) {
        const atMs = this.atMs(now);
        const incarnation = this.knownIncarnation(n);
        this.propose({ v: 1, type: 'node-lost', atMs, node: n, incarnation });
        const method = 'clean_start';
        this.propose({ v: 1, type: 'fenced', atMs, node: n, incarnation, method });
      } else this.recordLoss(n, now);
    }
  }

  private fencing(now: number): void {
    const members = new Set(this.host.members());
    for (const [node, lost] of Object.entries(this.proposed.lost)) {
      // A node back in the membership (it never moved: nothing of it was recovered) is not
      // fenced; nor is this node, whatever an earlier leader recorded.
      // Seed 48: a loss of an incarnation that has since come back is stale; fencing it
      // again powered off the newer incarnation (a fence loop). Its new loss is recorded anew.
      // An administrator's fence_node goes ahead while the node is still heard.
      const stale = lost.incarnation < this.knownIncarnation(node);
      const heard = members.has(node) && !lost.requested;
      if (heard || stale || !awaitingFence(this.proposed, node)) {
        this.fences.delete(node);
        continue;
      }
      let run = this.fences.get(node);
      if (!run || run.incarnation !== lost.incarnation) {
        run = this.startFence(node, lost.incarnation, this.config.fenceTimings, now);
      }
      run.tick(now);
      if (run.done && run.succeededWith !== undefined) this.fenced(run, now);
    }
  }

  private startFence(node: NodeId, incarnation: number, timings: FenceTimings, now: number) {
    const run = new FenceRun(node, incarnation, this.config.fenceMethods(node), timings, now, {
      op: (op) => this.host.fenceOp(op),
      event: (e) => this.host.event(e),
    });
    this.fences.set(node, run);
    return run;
  }

  /**
   * fence_node: an administrator's fence of `node`, member or not, now (no post_fail_delay).
   * The loss is recorded as requested, so that the fence goes ahead while the node is still
   * heard and a node that hears it stops everything (`declaredLost`); once fenced, its services
   * recover elsewhere and that incarnation takes none again (its probe is not accepted).
   */
  requestFence(node: NodeId, now: number): DeskRecord {
    const refusal = this.fenceRefusal(node);
    if (refusal !== undefined) return { refused: { ok: false, message: refusal } };
    const incarnation = this.knownIncarnation(node);
    const open = this.proposed.lost[node];
    if (open?.requested && open.incarnation === incarnation && this.fences.has(node)) {
      return { index: open.index, message: `${node} is being fenced already` };
    }
    const atMs = this.atMs(now);
    const index = this.propose({
      v: 1,
      type: 'node-lost',
      atMs,
      node,
      incarnation,
      requested: true,
    });
    if (index === null) {
      return { refused: { ok: false, message: 'the leader changed; try again', rule: RETRY } };
    }
    this.startFence(node, incarnation, { ...this.config.fenceTimings, postFailDelayTicks: 0 }, now);
    this.memberTransition = true;
    this.fencing(now);
    return { index, message: `fencing ${node}` };
  }

  private fenceRefusal(node: NodeId): string | undefined {
    if (!this.config.rm.nodes.includes(node)) return `${node} is not a node of this cluster`;
    if (node === this.host.self) {
      return `${node} leads the cluster and does not fence itself: fence it from another node once it no longer leads (cman_tool leave)`;
    }
    if (this.config.fenceMethods(node).length === 0) {
      return `${node} has no fence method in cluster.conf`;
    }
    return undefined;
  }

  /** `node` in `incarnation` was fenced at an administrator's request (it may still be heard). */
  private fencedOnRequest(node: NodeId, incarnation: number): boolean {
    const lost = this.proposed.lost[node];
    return (
      lost?.requested === true &&
      lost.incarnation === incarnation &&
      !awaitingFence(this.proposed, node)
    );
  }

  private fenced(run: FenceRun, now: number): void {
    const method = run.succeededWith!;
    run.succeededWith = undefined;
    this.host.event({
      type: 'fence-succeeded',
      victim: run.victim,
      method,
      incarnation: run.incarnation,
    });
    this.propose({
      v: 1,
      type: 'fenced',
      atMs: this.atMs(now),
      node: run.victim,
      incarnation: run.incarnation,
      method,
    });
    this.memberTransition = true;
  }

  fenceResult(opId: string, ok: boolean, now: number): boolean {
    if (this.monitor.result(opId, ok)) return true;
    for (const run of this.fences.values()) {
      if (run.result(opId, ok, now)) {
        if (run.done && run.succeededWith !== undefined) this.fenced(run, now);
        return true;
      }
    }
    return false;
  }

  /** fence_ack_manual: refused for a current member or a node with no fence pending. */
  fenceAck(node: NodeId, now: number): string | undefined {
    if (this.host.members().includes(node))
      return `${node} is a member of the cluster; it is not fenced`;
    const run = this.fences.get(node);
    if (run === undefined || !run.acknowledge(now)) {
      return `no fence operation is pending for ${node}`;
    }
    if (run.done && run.succeededWith !== undefined) this.fenced(run, now);
    return undefined;
  }

  private acceptProbes(now: number): void {
    for (const [node, probe] of this.probes) {
      if (this.host.incarnationOf(node) !== probe.incarnation) continue;
      this.probes.delete(node);
      if (probeCurrent(this.proposed, node, probe.incarnation)) continue;
      // An incarnation an administrator fences takes no services again: it must restart.
      const lost = this.proposed.lost[node];
      if (lost?.requested && lost.incarnation === probe.incarnation) continue;
      let rm = this.proposed.rm;
      for (const id of probe.running) rm = strayStop(rm, id, node, this.atMs(now));
      rm = recoverNotFound(rm, node, probe.running, this.atMs(now));
      this.proposeRm(rm, now);
      this.propose({
        v: 1,
        type: 'probed',
        atMs: this.atMs(now),
        node,
        incarnation: probe.incarnation,
      });
      this.host.event({ type: 'probe-accepted', node, incarnation: probe.incarnation });
      // Its records in flight are issued again, for this incarnation to act on.
      this.reassert(now, node);
      this.memberTransition = true;
    }
  }

  private evaluate(now: number): void {
    const ev = placeAll({
      config: this.config.rm,
      members: this.placementMembers(),
      state: this.proposed.rm,
      awaitingFence: this.awaitingFence(),
      atMs: this.atMs(now),
      memberTransition: this.memberTransition,
    });
    this.memberTransition = false;
    this.proposeRm(ev.state, now);
  }

  report(r: AgentReport & { transition: number }, now: number): void {
    if (this.proposed.marks[r.service]?.transition !== r.transition) return;
    const ok = r.ok || (this.plant === 'ignore-stop-failure' && r.op === 'stop');
    const input = {
      config: this.config.rm,
      members: this.placementMembers(),
      state: this.proposed.rm,
      awaitingFence: this.awaitingFence(),
      atMs: this.atMs(now),
    };
    const outcome = applyReport(input, { ...r, ok });
    for (const message of outcome.events) this.host.event({ type: 'controller-log', message });
    this.proposeRm(outcome.state, now);
  }

  request(from: NodeId, requestId: string, request: RmRequest, now: number): void {
    const outcome = applyRequest(
      {
        config: this.config.rm,
        members: this.placementMembers(),
        state: this.proposed.rm,
        awaitingFence: this.awaitingFence(),
        atMs: this.atMs(now),
      },
      request,
    );
    const index = outcome.code === 0 ? this.proposeRm(outcome.state, now) : null;
    if (request.kind === 'convalesce' && outcome.code === 0) {
      const target = this.convalesceTarget(request.service);
      if (target) this.host.convalesce(target.owner, request.service, target.transition);
    }
    if (index === null) this.host.reply(from, requestId, outcome);
    else this.replies.push({ index, to: from, requestId, outcome });
  }

  /** Answers the requests whose records are now committed. */
  committed(commit: number): void {
    const due = this.replies.filter((r) => r.index <= commit);
    this.replies = this.replies.filter((r) => r.index > commit);
    for (const r of due) this.host.reply(r.to, r.requestId, r.outcome);
  }

  /** Leadership ended: requests still waiting fail with "try again". */
  abandon(): void {
    for (const r of this.replies) this.host.reply(r.to, r.requestId, undefined);
    this.replies = [];
  }

  convalesceTarget(service: string): { owner: NodeId; transition: number } | undefined {
    const s = serviceState(this.proposed.rm, service);
    const mark = this.proposed.marks[service];
    return s.owner && mark ? { owner: s.owner, transition: mark.transition } : undefined;
  }
}
