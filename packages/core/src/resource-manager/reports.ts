// What the executor reports back (an agent operation finished, a status check failed) and what
// the leader records next: the second half of every start, stop and move, and the recovery
// policies of rhcs.md §4.4.

import type { ResourceManagerState } from './model.js';
import { type Intent, type ServiceState, transition } from './model.js';
import { beginMove, beginStart, beginStop } from './moves.js';
import { type PlacementInput, Placer } from './placement.js';
import type { ServicePolicy } from './rm-config.js';

export interface AgentReport {
  readonly op: 'start' | 'stop' | 'migrate' | 'status' | 'convalesce';
  readonly service: string;
  /** Where the operation ran (the source node of a migration). */
  readonly node: string;
  readonly ok: boolean;
  /** For `status`: a non-critical subtree failed and was left stopped. */
  readonly partial?: boolean;
}

export interface ReportInput extends PlacementInput {
  readonly atMs: number;
}

export interface ReportOutcome {
  readonly state: ResourceManagerState;
  readonly intents: readonly Intent[];
  /** rgmanager-style log lines about what the report changed. */
  readonly events: readonly string[];
}

class ReportHandler {
  readonly p: Placer;
  readonly events: string[] = [];

  constructor(readonly input: ReportInput) {
    this.p = new Placer(input.config, input.members, input.state);
  }

  get atMs(): number {
    return this.input.atMs;
  }

  set(s: ServiceState, state: ServiceState['state'], owner: string | undefined): Intent[] {
    this.p.set(transition(s, state, owner, this.atMs));
    return [];
  }

  stopped(s: ServiceState): Intent[] {
    const pending = s.pending;
    switch (pending?.kind) {
      case 'disable':
        return this.set(s, 'disabled', undefined);
      case 'stop':
        return this.set(s, 'stopped', undefined);
      case 'restart':
      case 'relocate':
        // While locked nothing starts: it waits as `recovering` and starts after the unlock.
        if (this.p.online.has(pending.node) && this.startable(s) && !this.input.state.locked) {
          const base = transition(s, 'recovering', undefined, this.atMs);
          return beginStart(this.p, base, pending.node, this.atMs);
        }
        return this.set(s, 'recovering', undefined);
      default:
        return this.set(s, 'recovering', undefined);
    }
  }

  /** The services it requires run (they may have stopped while it was stopping). */
  startable(s: ServiceState): boolean {
    const svc = this.p.config.byId.get(s.id);
    return svc !== undefined && this.p.missingRequirement(svc) === undefined;
  }

  /** rgmanager's recovery policies after a failed status check. */
  recover(svc: ServicePolicy, s: ServiceState): Intent[] {
    const owner = s.owner!;
    if (svc.recovery === 'disable') return beginStop(this.p, s, { kind: 'disable' }, this.atMs);
    const relocate = () => {
      const target = this.p.best(svc, owner)?.node;
      if (target === undefined) return undefined;
      this.events.push(`Relocating ${svc.id} to ${target}`);
      return beginMove(this.p, s, target, this.atMs, false);
    };
    if (svc.recovery === 'relocate') return relocate() ?? this.restartInPlace(s, owner);
    const recent = s.restartTimesMs.filter(
      (t) => svc.restartExpireMs === 0 || t > this.atMs - svc.restartExpireMs,
    );
    if (svc.maxRestarts > 0 && recent.length >= svc.maxRestarts) {
      this.events.push(`Restart threshold for ${svc.id} exceeded`);
      if (svc.recovery === 'restart-disable') {
        return beginStop(this.p, s, { kind: 'disable' }, this.atMs);
      }
      return relocate() ?? beginStop(this.p, s, { kind: 'disable' }, this.atMs);
    }
    // Only the restarts that can still count are kept, so the record stays small.
    const kept = [...recent, this.atMs].slice(-Math.max(svc.maxRestarts, 1));
    return this.restartInPlace({ ...s, restartTimesMs: kept }, owner);
  }

  restartInPlace(s: ServiceState, owner: string): Intent[] {
    this.events.push(`Recovering ${s.id} on ${owner}`);
    return beginStop(this.p, s, { kind: 'restart', node: owner }, this.atMs);
  }

  handle(r: AgentReport): Intent[] {
    const svc = this.p.config.byId.get(r.service);
    const s = this.p.stateOf(r.service);
    if (!svc || s.owner !== r.node) {
      this.events.push(`Ignoring a stale ${r.op} report for ${r.service} from ${r.node}`);
      return [];
    }
    if (r.op === 'start' && s.state === 'starting') {
      if (r.ok) return this.set(s, 'started', r.node);
      this.events.push(`Failed to start ${s.id} on ${r.node}; stopping it for recovery`);
      return beginStop(this.p, s, { kind: 'recover' }, this.atMs);
    }
    if (r.op === 'stop' && s.state === 'stopping') {
      if (r.ok) return this.stopped(s);
      this.events.push(`${s.id} failed to stop; intervention required`);
      return this.set(s, 'failed', r.node);
    }
    if (r.op === 'migrate' && s.state === 'migrating' && s.pending?.kind === 'migrate') {
      if (r.ok) return this.set(s, 'started', s.pending.node);
      this.events.push(`Migration of ${s.id} failed; it keeps running on ${r.node}`);
      return this.set(s, 'started', r.node);
    }
    if (r.op === 'status' && s.frozen) {
      this.events.push(`${s.id} is frozen: its status is not checked`);
      return [];
    }
    if (r.op === 'status' && s.state === 'started') {
      if (!r.ok) return this.recover(svc, s);
      if (r.partial && !s.partial) this.p.set({ ...s, partial: true });
      return [];
    }
    if (r.op === 'convalesce' && r.ok && s.partial) this.p.set({ ...s, partial: false });
    return [];
  }
}

/** Records an executor's report; the intents that follow (the start after a stop, …). */
export function applyReport(input: ReportInput, report: AgentReport): ReportOutcome {
  const h = new ReportHandler(input);
  const intents = h.handle(report);
  return { state: h.p.snapshot(), intents, events: h.events };
}
