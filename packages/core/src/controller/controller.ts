// The resource-manager controller: one `ClusterNode` plus the replicated service state it
// rebuilds from committed commands, an executor for what the log assigns to this node, and,
// while this node leads, the leader's decisions. The same four verbs as consensus (etcd-raft
// style): `tick`, `step`, `ready`, `advance`; nothing here reads a clock or does I/O.

import type { VersionedConfig } from '../consensus/config-proposal.js';
import { ClusterNode } from '../consensus/node.js';
import type { ClusterNodeOptions } from '../consensus/node-options.js';
import type { LogEntry, NodeId, ObserverEvent, Ready } from '../consensus/types.js';
import type { RequestOutcome, RmRequest } from '../resource-manager/request-model.js';
import { rgResults } from '../resource-manager/result-codes.js';
import { configuredNodes, removalRefusal } from './config-removal.js';
import { consoleTrustEvents } from './console-trust.js';
import { type ControllerConfig, compileControllerConfig } from './controller-config.js';
import { ControllerDesks } from './controller-desks.js';
import { Executor, type ExecutorView, type Report } from './executor.js';
import { Leader } from './leader.js';
import { LoneFence } from './lone-fence.js';
import {
  applyEntry,
  type ControllerState,
  decodeControllerState,
  emptyControllerState,
  encodeControllerState,
  probeCurrent,
} from './replicated-state.js';
import type {
  AgentOp,
  ControllerBug,
  ControllerEvent,
  ControllerInput,
  ControllerMessage,
  ControllerReady,
  FenceOp,
} from './types.js';
import { Unfencer } from './unfence.js';

export interface ServiceControllerOptions extends ClusterNodeOptions {
  /** The cluster.conf this node starts with; the newest committed one replaces it. */
  readonly clusterConf: string;
  /** Test-only: switch off one controller safety mechanism (see `ControllerBug`). */
  readonly controllerPlant?: ControllerBug | null;
}

/** Token times a forwarded request waits for the leader's answer before it fails with -6. */
const FORWARD_TIMEOUT_TOKENS = 5;

type Distribute<T> = T extends unknown ? Omit<T, 'from' | 'to' | 'term' | 'incarnation'> : never;
type MessageBody = Distribute<ControllerMessage>;

const controllerTypes = new Set([
  'rm-report',
  'rm-probe',
  'rm-forward',
  'rm-result',
  'rm-fence-ack',
  'rm-convalesce',
  'rm-console-trust',
  'rm-config',
  'rm-fence-node',
  'rm-desk-result',
]);

export function isControllerMessage(input: { type: string }): input is ControllerMessage {
  return controllerTypes.has(input.type);
}

export class ServiceController {
  readonly id: NodeId;
  readonly node: ClusterNode;
  private readonly tickMs: number;
  private readonly plant: ControllerBug | null;
  private configuration: ControllerConfig;
  private committed: ControllerState = emptyControllerState;
  private readonly executor: Executor;
  private leader: Leader | null = null;
  private readonly incarnations = new Map<NodeId, number>();
  private readonly loneFence: LoneFence;
  private readonly unfencer: Unfencer;
  private now = 0;
  private messages: ControllerMessage[] = [];
  private agentOps: AgentOp[] = [];
  private fenceOps: FenceOp[] = [];
  private events: ControllerEvent[] = [];
  /** Peers whose leave notice arrived, with the incarnation that left. */
  private readonly leftCleanly = new Map<NodeId, number>();
  /** Forwarded requests waiting for the leader's answer: id → the tick they give up. */
  private readonly forwarded = new Map<string, number>();
  /**
   * Members this process saw fail and not come back. A follower usually sees its leader fail
   * before it is elected: as leader it records the loss at once, without the wait
   * `post_join_delay` gives nodes that never joined since this process started.
   */
  private readonly seenLost = new Set<NodeId>();
  private readonly desks: ControllerDesks;

  constructor(options: ServiceControllerOptions) {
    this.id = options.id;
    this.node = new ClusterNode({ ...options, configGuard: (next) => this.guardConfig(next) });
    this.tickMs = options.tickMs;
    this.plant = options.controllerPlant ?? null;
    this.configuration = compileControllerConfig(
      options.clusterConf,
      this.node.timings,
      this.tickMs,
    );
    this.incarnations.set(this.id, this.node.status().incarnation);
    this.loneFence = new LoneFence(this.node, {
      op: (op) => this.fenceOps.push(op),
      event: (e) => this.events.push(e),
    });
    this.unfencer = new Unfencer(this.id, this.node.status().incarnation, {
      op: (op) => this.fenceOps.push(op),
      event: (e) => this.events.push(e),
    });
    this.executor = new Executor(
      this.id,
      this.node.status().incarnation,
      this.executorSink(),
      this.plant,
    );
    this.desks = new ControllerDesks({
      self: this.id,
      node: this.node,
      leader: () => this.leader,
      forwardTimeoutTicks: () => FORWARD_TIMEOUT_TOKENS * this.node.timings.tokenTicks,
      send: (to, message) => this.send(to, message),
      event: (e) => this.events.push(e),
    });
    // The replayed log is applied before the probe starts, so the planted bug can misuse it.
    this.applyReady(this.node.ready(), true);
    this.executor.startProbe(this.view());
  }

  /** Refuses a cluster.conf that removes a node owning services (see `config-removal.ts`). */
  private guardConfig(next: VersionedConfig): string | undefined {
    const before = this.configuredNodes();
    const after = configuredNodes(next.text);
    const removed = [...before].filter((n) => !after.has(n));
    if (removed.length === 0) return undefined;
    const s = this.node.status();
    // A leader that has not yet committed in its term may hold older terms' records unapplied.
    if (!this.leader && s.lastIndex > s.commit)
      return 'the leader is still taking over; propose the change again in a moment';
    const state = this.leader?.proposed ?? this.committed;
    const owning = removalRefusal(state.rm, before, after);
    if (owning !== undefined) return owning;
    // The simulator (seed 7993): a node that had just restarted was removed before its probe
    // was in the log; the probe then found a stray on it, recorded for the node to stop, which
    // it could no longer report once removed. Its probe must be in before it may go.
    for (const n of removed) {
      const incarnation = this.incarnations.get(n);
      if (!s.members.includes(n) || incarnation === undefined) continue;
      if (!probeCurrent(state, n, incarnation))
        return `clusternode ${n}: it has not yet reported what runs there since it started; propose the change again in a moment`;
    }
    return undefined;
  }

  /** The nodes of the newest cluster.conf in the log, committed or not. */
  private configuredNodes(): ReadonlySet<NodeId> {
    const text = this.node.newestConfigText();
    return text === null ? new Set(this.configuration.rm.nodes) : configuredNodes(text);
  }

  /** The committed replicated state (what every node agrees on up to its commit index). */
  state(): ControllerState {
    return this.committed;
  }

  /** The state for a snapshot (`ClusterNode.compact(appState)`). */
  appState(): string {
    return encodeControllerState(this.committed);
  }

  /** The compiled committed configuration. */
  config(): ControllerConfig {
    return this.configuration;
  }

  isLeaderReady(): boolean {
    return this.leader !== null;
  }

  activeServices(): readonly string[] {
    return [...this.executor.active].sort();
  }

  tick(): void {
    this.now++;
    this.node.tick();
    this.followRole();
    this.leader?.tick(this.now);
    if (!this.leader) this.loneFence.tick(this.configuration, this.now);
    const retry = this.configuration.fenceTimings.retryDelayTicks;
    this.unfencer.tick(this.configuration.conf, retry, this.now);
    this.executor.reconcile(this.view());
    this.sendProbe();
    this.expireForwarded();
    this.desks.tick(this.now);
  }

  /** A forwarded request the leader never answered (it failed, a link broke): try again. */
  private expireForwarded(): void {
    for (const [id, deadline] of this.forwarded) {
      if (deadline > this.now) continue;
      this.forwarded.delete(id);
      this.reply(this.id, id, undefined);
    }
  }

  step(input: ControllerInput): void {
    if ('from' in input && input.from !== this.id) this.heard(input.from, input.incarnation);
    if (isControllerMessage(input)) this.stepMessage(input);
    else if (input.type === 'agent-result')
      this.executor.agentResult(input.opId, input.code, this.view());
    else if (input.type === 'fence-result') this.fenceResult(input.opId, input.ok);
    else if (input.type === 'fence-ack') this.fenceAck(this.id, input.node);
    else if (input.type === 'rm-request') this.request(this.id, input.id, input.request);
    else if (input.type === 'leave') this.executor.leaving = true;
    else if (input.type === 'console-trust')
      this.desks.consoleTrust.request(this.id, input.id, input.change, this.now);
    else if (input.type === 'config-request')
      this.desks.config.request(this.id, input.id, input.text, this.now);
    else if (input.type === 'fence-request')
      this.desks.fence.request(this.id, input.id, input.node, this.now);
    else {
      if (input.type === 'leave-notice') this.leftCleanly.set(input.from, input.incarnation);
      this.node.step(input);
    }
    this.followRole();
  }

  private heard(from: NodeId, incarnation: number): void {
    if (incarnation > (this.incarnations.get(from) ?? -1)) this.incarnations.set(from, incarnation);
  }

  ready(): ControllerReady {
    return {
      consensus: this.node.ready(),
      messages: [...this.messages],
      agentOps: [...this.agentOps],
      fenceOps: [...this.fenceOps],
      events: [...this.events],
    };
  }

  /** The host persisted, sent and started everything `ready()` asked for. */
  advance(ready: ControllerReady): void {
    this.node.advance(ready.consensus);
    this.messages = this.messages.slice(ready.messages.length);
    this.agentOps = this.agentOps.slice(ready.agentOps.length);
    this.fenceOps = this.fenceOps.slice(ready.fenceOps.length);
    this.events = this.events.slice(ready.events.length);
    this.applyReady(ready.consensus, false);
    this.followRole();
    this.leader?.tick(this.now);
    this.executor.reconcile(this.view());
    this.finishLeave();
  }

  /**
   * `cman_tool leave` (ricci's SIGTERM), as rgmanager's shutdown: every local service stops
   * first, and only then does the node tell its peers it leaves, which they take as the promise
   * that nothing of it runs (its services are recovered without a fence). A stop that fails
   * keeps the node in the cluster; its host gives up after a while and exits, and is fenced.
   */
  private finishLeave(): void {
    if (this.leaveDue()) this.node.step({ type: 'leave' });
  }

  private leaveDue(): boolean {
    return this.executor.leaving && !this.node.status().left && this.executor.quiet();
  }

  /** Leaving: the host stops once `node.status().left` holds. */
  leaving(): boolean {
    return this.executor.leaving;
  }

  /** Whether `ready()` has anything to hand out. */
  hasReady(): boolean {
    // Asked after every tick and message: the consensus node answers without building a ready.
    const own =
      this.messages.length + this.agentOps.length + this.fenceOps.length + this.events.length;
    // A leave whose services have stopped finishes in `advance`: a lone node with nothing
    // else to hand out would otherwise never get there.
    return own > 0 || this.node.hasReady() || this.leaveDue();
  }

  private applyReady(ready: Ready, replay: boolean): void {
    if (ready.snapshot) {
      const decoded = decodeControllerState(ready.snapshot.appState);
      if (typeof decoded === 'string')
        this.events.push({ type: 'command-error', index: ready.snapshot.index, message: decoded });
      else {
        this.events.push(...consoleTrustEvents(this.committed, decoded));
        this.committed = decoded;
      }
    }
    const write = ready.configWrites.at(-1);
    for (const entry of ready.committed) this.applyCommitted(entry);
    if (write) {
      const before = this.configuration;
      this.configuration = compileControllerConfig(write.text, this.node.timings, this.tickMs);
      this.leader?.configChanged();
      if (!replay) this.executor.configChanged(before, this.configuration, this.view());
    }
    if (replay) return;
    for (const event of ready.events) this.observe(event);
    this.leader?.committed(this.node.status().commit);
    this.desks.committed(this.node.status().commit);
    const s = this.node.status();
    const ownTerm = ready.committed.some((e) => e.term === s.term);
    if (!this.leader && s.role === 'leader' && ownTerm) {
      this.leader = new Leader(
        this.leaderHost(),
        this.committed,
        () => this.configuration,
        this.plant,
        this.now,
      );
      const members = new Set(s.members);
      const lost = [...this.seenLost].filter((n) => !members.has(n)).sort();
      if (lost.length > 0) this.leader.membershipChanged(lost, this.now);
    }
  }

  private applyCommitted(entry: LogEntry): void {
    if (entry.index <= this.committed.applied) return;
    const result = applyEntry(this.committed, entry);
    this.events.push(...consoleTrustEvents(this.committed, result.state));
    this.committed = result.state;
    if (!result.ok) {
      this.events.push({ type: 'command-error', index: entry.index, message: result.message });
      return;
    }
    for (const s of result.changed) {
      this.events.push({
        type: 'service-state-changed',
        service: s.id,
        state: s.state,
        owner: s.owner,
        partial: s.partial,
      });
    }
  }

  private observe(event: ObserverEvent): void {
    if (event.type !== 'membership-changed') return;
    // A clean leave (`cman_tool leave`) needs no fence.
    const left = new Set((event as { left?: readonly NodeId[] }).left ?? []);
    const lost = event.lost.filter((n) => !left.has(n));
    for (const n of event.joined) this.seenLost.delete(n);
    for (const n of left) this.seenLost.delete(n);
    for (const n of lost) this.seenLost.add(n);
    this.leader?.membershipChanged(lost, this.now);
    for (const n of left) this.leader?.recordLeave(n, this.leftCleanly.get(n), this.now);
  }

  /** A leader that stepped down forgets its decisions in flight; the log keeps the rest. */
  private followRole(): void {
    if (this.leader && this.node.status().role !== 'leader') {
      this.leader.abandon();
      this.leader = null;
      this.desks.abandon();
    } else if (this.desks.config.awaiting() && this.node.status().role !== 'leader') {
      // A config proposal taken before the leader half existed.
      this.desks.config.abandon();
    }
  }

  private view(): ExecutorView {
    const s = this.node.status();
    return {
      now: this.now,
      tickMs: this.tickMs,
      term: s.term,
      quorate: s.quorate && s.leader !== null,
      state: this.committed,
      plans: this.configuration.plans,
      configured: this.configuration.rm.nodes.includes(this.id),
      // `quorate` turns false one consensus lease after the leader was last heard: the rest
      // of the service lease counts from there.
      // One tick less (the simulator, 20000 seeds: stops issued one tick past the lease, as
      // `quorate` turns false within the tick in which the lease ran out).
      serviceLeaseTicks: this.configuration.serviceLeaseTicks - this.node.timings.leaseTicks - 1,
    };
  }

  private send(to: NodeId, body: MessageBody): void {
    const s = this.node.status();
    const envelope = { from: this.id, to, term: s.term, incarnation: s.incarnation };
    this.messages.push({ ...envelope, ...body } as ControllerMessage);
  }

  private stepMessage(m: ControllerMessage): void {
    if (m.to !== this.id) return;
    switch (m.type) {
      case 'rm-report':
        this.leader?.report(
          {
            op: m.op,
            service: m.service,
            node: m.from,
            ok: m.ok,
            partial: m.partial,
            transition: m.transition,
          },
          this.now,
        );
        return;
      case 'rm-probe':
        this.leader?.probe(m.from, m.incarnation, m.running);
        return;
      case 'rm-forward':
        this.request(m.from, m.requestId, m.request);
        return;
      case 'rm-result':
        if (!this.forwarded.delete(m.requestId)) return;
        this.events.push({
          type: 'request-result',
          id: m.requestId,
          code: m.code,
          message: m.message,
          detail: m.detail ?? undefined,
          owner: m.owner ?? undefined,
        });
        return;
      case 'rm-fence-ack':
        this.fenceAck(m.from, m.node);
        return;
      case 'rm-convalesce': {
        const plan = this.configuration.plans.get(m.service);
        if (plan) this.executor.convalesce(plan, m.transition, this.view());
        return;
      }
      case 'rm-console-trust':
      case 'rm-config':
      case 'rm-fence-node':
      case 'rm-desk-result':
        this.desks.message(m.from, m, this.now);
        return;
    }
  }

  private request(from: NodeId, id: string, request: RmRequest): void {
    if (this.leader) {
      this.leader.request(from, id, request, this.now);
      return;
    }
    const { leader, quorate } = this.node.status();
    if (from === this.id && quorate && leader !== null && leader !== this.id) {
      this.forwarded.set(id, this.now + FORWARD_TIMEOUT_TOKENS * this.node.timings.tokenTicks);
      this.send(leader, { type: 'rm-forward', requestId: id, request });
      return;
    }
    const result = quorate && leader !== null ? rgResults.tryAgain : rgResults.needsQuorum;
    this.reply(from, id, { ...result, detail: undefined, owner: undefined });
  }

  private reply(
    to: NodeId,
    id: string,
    outcome: Pick<RequestOutcome, 'code' | 'message' | 'detail' | 'owner'> | undefined,
  ): void {
    const o = outcome ?? { ...rgResults.tryAgain, detail: undefined, owner: undefined };
    if (to === this.id) {
      this.events.push({
        type: 'request-result',
        id,
        code: o.code,
        message: o.message,
        detail: o.detail,
        owner: o.owner,
      });
      return;
    }
    this.send(to, {
      type: 'rm-result',
      requestId: id,
      code: o.code,
      message: o.message,
      detail: o.detail ?? null,
      owner: o.owner ?? null,
    });
  }

  private fenceResult(opId: string, ok: boolean): void {
    if (this.unfencer.result(opId, ok)) return;
    if (this.leader?.fenceResult(opId, ok, this.now)) return;
    this.loneFence.result(opId, ok, this.now);
  }

  private fenceAck(from: NodeId, node: NodeId): void {
    if (!this.leader && this.loneFence.acknowledge(node)) return;
    if (this.leader) {
      const refusal = this.leader.fenceAck(node, this.now);
      if (refusal !== undefined)
        this.events.push({ type: 'fence-ack-refused', node, reason: refusal });
      return;
    }
    const leader = this.node.status().leader;
    if (from === this.id && leader !== null && leader !== this.id) {
      this.send(leader, { type: 'rm-fence-ack', node });
      return;
    }
    this.events.push({
      type: 'fence-ack-refused',
      node,
      reason: 'no quorate leader to take the acknowledgement',
    });
  }

  /** Until the log records this incarnation's probe, the executor keeps telling the leader. */
  private sendProbe(): void {
    const s = this.node.status();
    const current = probeCurrent(this.committed, this.id, s.incarnation);
    if (!this.executor.probeDone || !this.unfencer.done || current) return;
    if (s.leader === null || this.now % 5 !== 0) return;
    // fence_node took this incarnation out: it runs nothing until it restarts.
    const lost = this.committed.lost[this.id];
    if (lost?.requested && lost.incarnation === s.incarnation) return;
    const running = this.executor.probeResult();
    if (this.leader) this.leader.probe(this.id, s.incarnation, running);
    else if (s.leader !== this.id) this.send(s.leader, { type: 'rm-probe', running });
  }

  private executorSink() {
    return {
      op: (op: AgentOp) => this.agentOps.push(op),
      event: (e: ControllerEvent) => this.events.push(e),
      report: (r: Report) => {
        const leader = this.node.status().leader;
        if (this.leader) this.leader.report({ ...r, node: this.id }, this.now);
        else if (leader !== null && leader !== this.id)
          this.send(leader, { type: 'rm-report', ...r });
      },
    };
  }

  private leaderHost() {
    return {
      self: this.id,
      tickMs: this.tickMs,
      propose: (data: string) => {
        if (!this.node.step({ type: 'propose', data })) return null;
        return this.node.status().lastIndex;
      },
      term: () => this.node.status().term,
      members: () => this.node.status().members,
      configured: () => this.configuredNodes(),
      leftCleanly: () => this.leftCleanly,
      leaving: () => this.executor.leaving,
      incarnationOf: (n: NodeId) => this.incarnations.get(n),
      fenceOp: (op: FenceOp) => this.fenceOps.push(op),
      event: (e: ControllerEvent) => this.events.push(e),
      reply: (to: NodeId, id: string, outcome: RequestOutcome | undefined) =>
        this.reply(to, id, outcome),
      convalesce: (owner: NodeId, service: string, transition: number) => {
        const plan = this.configuration.plans.get(service);
        if (owner === this.id && plan) this.executor.convalesce(plan, transition, this.view());
        else if (owner !== this.id)
          this.send(owner, { type: 'rm-convalesce', service, transition });
      },
    };
  }
}
