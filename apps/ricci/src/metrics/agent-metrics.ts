// The agent's `/metrics`: membership, quorum, leadership, service states and owners, failovers,
// fence operations and agent operation durations. They are read off the events the agent logs
// (one path: every event the daemon logs passes through `observe`, debug ones included), so the
// metrics and the log cannot tell different stories.
import { MetricsRegistry } from '@quorate/protocol';
import type { JsonLog } from '../daemon/json-log.js';

type Fields = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

// The metrics by their exposition names, with their help text. Tables, so that adding one is a
// line here and `/metrics` lists them in this order.
const gaugeHelp = {
  quorate_agent_info: 'The agent: its node name and version.',
  quorate_agent_start_time_seconds: 'When the agent started, in Unix seconds.',
  quorate_quorate: 'Whether this node sees a quorate cluster (1) or not (0).',
  quorate_votes: 'Votes of the current members.',
  quorate_expected_votes: 'Expected votes of the committed configuration.',
  quorate_quorum_votes: 'Votes needed for quorum.',
  quorate_member: 'Per node this one has seen: 1 while a member, 0 once lost.',
  quorate_leader: 'The leader this node follows (1 on its label); none while there is no leader.',
  quorate_term: 'The current consensus term.',
  quorate_service_state:
    'Each service: 1 on its current state (started, stopped, recovering, failed, ...).',
  quorate_service_owner: 'Each service: 1 on the node that owns it, when one does.',
} as const;

const counterHelp = {
  quorate_membership_changes_total: 'Changes of the membership this node has seen.',
  quorate_service_failovers_total:
    'Services started on another node after their owner was lost or they failed there (relocations are not counted).',
  quorate_fence_operations_total:
    'Fence agent runs by this node, by victim, agent, action and result.',
  quorate_fences_total:
    'Fencing of lost nodes decided by this node as leader, by victim and result.',
} as const;

const histogramHelp = {
  quorate_fence_operation_duration_seconds: 'How long fence agent runs by this node took.',
  quorate_agent_operation_duration_seconds:
    'How long resource agent operations on this node took, by type, action and exit code.',
} as const;

/** One metric of each name in `help`, made by `make`, under the same names. */
function registerAll<Name extends string, Metric>(
  help: Readonly<Record<Name, string>>,
  make: (name: Name, help: string) => Metric,
): Record<Name, Metric> {
  const entries = Object.entries(help) as [Name, string][];
  return Object.fromEntries(entries.map(([name, text]) => [name, make(name, text)])) as Record<
    Name,
    Metric
  >;
}

/** `quorum-changed`'s numeric fields and the gauges that show them. */
const quorumGauges = [
  ['votes', 'quorate_votes'],
  ['expectedVotes', 'quorate_expected_votes'],
  ['quorum', 'quorate_quorum_votes'],
] as const;

export class AgentMetrics {
  private readonly registry = new MetricsRegistry();
  private readonly gauge = registerAll(gaugeHelp, (name, help) => this.registry.gauge(name, help));
  private readonly counter = registerAll(counterHelp, (name, help) =>
    this.registry.counter(name, help),
  );
  private readonly histogram = registerAll(histogramHelp, (name, help) =>
    this.registry.histogram(name, help),
  );
  /** Per service: the state and owner the gauges show now. */
  private readonly services = new Map<string, { state: string; owner: string | undefined }>();
  /**
   * Per service: the node it last started on, and whether it failed there since (its owner was
   * lost, or it went recovering): starting elsewhere then is a failover, not a relocation.
   */
  private readonly lastStart = new Map<string, { owner: string; failed: boolean }>();

  constructor(node: string, version: string, startedAtMs: number) {
    this.gauge.quorate_agent_info.set({ node, version }, 1);
    this.gauge.quorate_agent_start_time_seconds.set({}, startedAtMs / 1000);
    this.gauge.quorate_quorate.set({}, 0);
  }

  /** The log, with every event also counted here. */
  observing(log: JsonLog): JsonLog {
    return (level, event, fields = {}) => {
      this.observe(event, fields);
      log(level, event, fields);
    };
  }

  observe(event: string, fields: Fields): void {
    switch (event) {
      case 'quorum-changed':
        this.gauge.quorate_quorate.set({}, fields.quorate === true ? 1 : 0);
        for (const [field, gauge] of quorumGauges) this.gauge[gauge].set({}, Number(fields[field]));
        return;
      case 'membership-changed':
        for (const node of names(fields.lost)) this.gauge.quorate_member.set({ node }, 0);
        // A clean leave is not a loss: its services wait for it, no failover follows.
        for (const node of names(fields.lost).filter((n) => !names(fields.left).includes(n))) {
          this.ownerLost(node);
        }
        for (const node of names(fields.members)) this.gauge.quorate_member.set({ node }, 1);
        this.counter.quorate_membership_changes_total.inc();
        return;
      case 'leader-changed':
        this.leaderChanged(fields);
        return;
      case 'service-state-changed':
        this.serviceChanged(text(fields.service), text(fields.state), fields.owner);
        return;
      case 'node-lost':
        this.ownerLost(text(fields.node));
        return;
      case 'fence-op-finished':
        this.fenceFinished(fields);
        return;
      case 'fence-succeeded':
      case 'fence-failed': {
        const result = event === 'fence-succeeded' ? 'success' : 'failure';
        this.counter.quorate_fences_total.inc({ victim: text(fields.victim), result });
        return;
      }
      case 'agent-op-finished': {
        const labels = { type: text(fields.type), action: text(fields.action) };
        const duration = this.histogram.quorate_agent_operation_duration_seconds;
        if (typeof fields.durationMs === 'number') {
          duration.observe({ ...labels, code: text(fields.code) }, fields.durationMs / 1000);
        }
        return;
      }
    }
  }

  /** The exposition text of every metric. */
  text(): string {
    return this.registry.text();
  }

  private leaderChanged(fields: Fields): void {
    const leader = this.gauge.quorate_leader;
    leader.reset();
    if (typeof fields.leader === 'string') leader.set({ node: fields.leader }, 1);
    this.gauge.quorate_term.set({}, Number(fields.term));
  }

  private serviceChanged(service: string, state: string, owner: unknown): void {
    const { quorate_service_state: stateGauge, quorate_service_owner: ownerGauge } = this.gauge;
    const previous = this.services.get(service);
    if (previous) {
      stateGauge.remove({ service, state: previous.state });
      if (previous.owner) ownerGauge.remove({ service, node: previous.owner });
    }
    const current = { state, owner: typeof owner === 'string' ? owner : undefined };
    this.services.set(service, current);
    stateGauge.set({ service, state }, 1);
    if (current.owner) ownerGauge.set({ service, node: current.owner }, 1);
    const last = this.lastStart.get(service);
    if (state === 'recovering' && last) last.failed = true;
    if (state !== 'started' || !current.owner) return;
    if (last?.failed && last.owner !== current.owner) {
      this.counter.quorate_service_failovers_total.inc({ service });
    }
    this.lastStart.set(service, { owner: current.owner, failed: false });
  }

  /** The services last started on `node` now run nowhere they can be reached: not a relocation. */
  private ownerLost(node: string): void {
    for (const last of this.lastStart.values()) if (last.owner === node) last.failed = true;
  }

  private fenceFinished(fields: Fields): void {
    const labels = { agent: text(fields.agent), action: text(fields.action) };
    const result = fields.ok === true ? 'success' : 'failure';
    const victim = text(fields.victim);
    this.counter.quorate_fence_operations_total.inc({ victim, ...labels, result });
    const duration = this.histogram.quorate_fence_operation_duration_seconds;
    if (typeof fields.durationMs === 'number') duration.observe(labels, fields.durationMs / 1000);
  }
}
