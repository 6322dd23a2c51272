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

export class AgentMetrics {
  private readonly registry = new MetricsRegistry();
  private readonly quorate = this.registry.gauge(
    'quorate_quorate',
    'Whether this node sees a quorate cluster (1) or not (0).',
  );
  private readonly votes = this.registry.gauge('quorate_votes', 'Votes of the current members.');
  private readonly expectedVotes = this.registry.gauge(
    'quorate_expected_votes',
    'Expected votes of the committed configuration.',
  );
  private readonly quorum = this.registry.gauge('quorate_quorum_votes', 'Votes needed for quorum.');
  private readonly member = this.registry.gauge(
    'quorate_member',
    'Per node this one has seen: 1 while a member, 0 once lost.',
  );
  private readonly membershipChanges = this.registry.counter(
    'quorate_membership_changes_total',
    'Changes of the membership this node has seen.',
  );
  private readonly leader = this.registry.gauge(
    'quorate_leader',
    'The leader this node follows (1 on its label); none while there is no leader.',
  );
  private readonly term = this.registry.gauge('quorate_term', 'The current consensus term.');
  private readonly serviceState = this.registry.gauge(
    'quorate_service_state',
    'Each service: 1 on its current state (started, stopped, recovering, failed, ...).',
  );
  private readonly serviceOwner = this.registry.gauge(
    'quorate_service_owner',
    'Each service: 1 on the node that owns it, when one does.',
  );
  private readonly failovers = this.registry.counter(
    'quorate_service_failovers_total',
    'Services started on another node after their owner was lost or they failed there (relocations are not counted).',
  );
  private readonly fenceOperations = this.registry.counter(
    'quorate_fence_operations_total',
    'Fence agent runs by this node, by victim, agent, action and result.',
  );
  private readonly fenceDuration = this.registry.histogram(
    'quorate_fence_operation_duration_seconds',
    'How long fence agent runs by this node took.',
  );
  private readonly fences = this.registry.counter(
    'quorate_fences_total',
    'Fencing of lost nodes decided by this node as leader, by victim and result.',
  );
  private readonly agentDuration = this.registry.histogram(
    'quorate_agent_operation_duration_seconds',
    'How long resource agent operations on this node took, by type, action and exit code.',
  );
  /** Per service: the state and owner the gauges show now. */
  private readonly services = new Map<string, { state: string; owner: string | undefined }>();
  /**
   * Per service: the node it last started on, and whether it failed there since (its owner was
   * lost, or it went recovering): starting elsewhere then is a failover, not a relocation.
   */
  private readonly lastStart = new Map<string, { owner: string; failed: boolean }>();

  constructor(node: string, version: string, startedAtMs: number) {
    this.registry
      .gauge('quorate_agent_info', 'The agent: its node name and version.')
      .set({ node, version }, 1);
    this.registry
      .gauge('quorate_agent_start_time_seconds', 'When the agent started, in Unix seconds.')
      .set({}, startedAtMs / 1000);
    this.quorate.set({}, 0);
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
        this.quorate.set({}, fields.quorate === true ? 1 : 0);
        this.votes.set({}, Number(fields.votes));
        this.expectedVotes.set({}, Number(fields.expectedVotes));
        this.quorum.set({}, Number(fields.quorum));
        return;
      case 'membership-changed':
        for (const node of names(fields.lost)) this.member.set({ node }, 0);
        // A clean leave is not a loss: its services wait for it, no failover follows.
        for (const node of names(fields.lost).filter((n) => !names(fields.left).includes(n))) {
          this.ownerLost(node);
        }
        for (const node of names(fields.members)) this.member.set({ node }, 1);
        this.membershipChanges.inc();
        return;
      case 'leader-changed':
        this.leader.reset();
        if (typeof fields.leader === 'string') this.leader.set({ node: fields.leader }, 1);
        this.term.set({}, Number(fields.term));
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
        this.fences.inc({ victim: text(fields.victim), result });
        return;
      }
      case 'agent-op-finished':
        if (typeof fields.durationMs === 'number') {
          const labels = {
            type: text(fields.type),
            action: text(fields.action),
            code: text(fields.code),
          };
          this.agentDuration.observe(labels, fields.durationMs / 1000);
        }
        return;
    }
  }

  /** The exposition text of every metric. */
  text(): string {
    return this.registry.text();
  }

  private serviceChanged(service: string, state: string, owner: unknown): void {
    const previous = this.services.get(service);
    if (previous) {
      this.serviceState.remove({ service, state: previous.state });
      if (previous.owner) this.serviceOwner.remove({ service, node: previous.owner });
    }
    const current = { state, owner: typeof owner === 'string' ? owner : undefined };
    this.services.set(service, current);
    this.serviceState.set({ service, state }, 1);
    if (current.owner) this.serviceOwner.set({ service, node: current.owner }, 1);
    const last = this.lastStart.get(service);
    if (state === 'recovering' && last) last.failed = true;
    if (state !== 'started' || !current.owner) return;
    if (last?.failed && last.owner !== current.owner) this.failovers.inc({ service });
    this.lastStart.set(service, { owner: current.owner, failed: false });
  }

  /** The services last started on `node` now run nowhere they can be reached: not a relocation. */
  private ownerLost(node: string): void {
    for (const last of this.lastStart.values()) if (last.owner === node) last.failed = true;
  }

  private fenceFinished(fields: Fields): void {
    const labels = { agent: text(fields.agent), action: text(fields.action) };
    const result = fields.ok === true ? 'success' : 'failure';
    this.fenceOperations.inc({ victim: text(fields.victim), ...labels, result });
    if (typeof fields.durationMs === 'number') {
      this.fenceDuration.observe(labels, fields.durationMs / 1000);
    }
  }
}
