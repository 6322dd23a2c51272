// rgmanager's eval_groups, made central and deterministic: after a membership change, a config
// change or an agent's report the leader walks every service in document order and decides
// what starts, moves or stops. Nothing happens while the cluster is locked.
import type { Intent, ResourceManagerState, ServiceState } from './model.js';
import { transition } from './model.js';
import { beginMove, beginStart, beginStop } from './moves.js';
import { type PlacementInput, Placer } from './placement.js';
import type { ServicePolicy } from './rm-config.js';
import { Score, scoreNames } from './score.js';

export type DecisionAction =
  | 'start'
  | 'relocate'
  | 'migrate'
  | 'stop'
  | 'disable'
  | 'mark-stopped'
  | 'wait';

export interface Decision {
  readonly service: string;
  readonly action: DecisionAction;
  readonly node: string | undefined;
  readonly reason: string;
}

export interface EvaluationInput extends PlacementInput {
  /** The leader's time stamp (ms) for the records this evaluation writes. */
  readonly atMs: number;
  /**
   * A member joined or left, or the configuration changed, since the last evaluation. Only
   * then do services stopped by `clusvcadm -s` start again and running services fail back to
   * a better node, as in rgmanager (otherwise an administrator's relocation away from the
   * preferred node would be undone at once).
   */
  readonly memberTransition?: boolean;
}

export interface Evaluation {
  readonly state: ResourceManagerState;
  /** In the order the executor must run them. */
  readonly intents: readonly Intent[];
  /** What was decided for each service that is not simply left as it is. */
  readonly decisions: readonly Decision[];
}

class Evaluator {
  readonly intents: Intent[] = [];
  readonly decisions: Decision[] = [];
  readonly fencing: ReadonlySet<string>;

  constructor(
    readonly p: Placer,
    readonly input: EvaluationInput,
  ) {
    this.fencing = new Set(input.awaitingFence ?? []);
  }

  decide(service: string, action: DecisionAction, node: string | undefined, reason: string) {
    this.decisions.push({ service, action, node, reason });
  }

  service(svc: ServicePolicy): void {
    let s = this.p.stateOf(svc.id);
    if (s.frozen) return;
    let why = 'recovery';
    if (s.owner !== undefined && !this.p.online.has(s.owner) && ownerMatters(s)) {
      if (this.fencing.has(s.owner)) {
        this.decide(svc.id, 'wait', undefined, `waiting for ${s.owner} to be fenced`);
        return;
      }
      why = `taking over from down member ${s.owner}`;
      s = this.ownerLost(s);
    }
    if (s.pending) return;
    if (s.state === 'uninitialized') {
      if (svc.autostart) this.tryStart(svc, s, 'autostart');
      else {
        this.p.set(transition(s, 'disabled', undefined, this.input.atMs));
        this.decide(svc.id, 'disable', undefined, 'autostart is off');
      }
    } else if (s.state === 'stopped') {
      if (this.input.memberTransition) this.tryStart(svc, s, 'member transition');
    } else if (s.state === 'recovering') {
      this.tryStart(svc, s, why);
    } else if (s.state === 'started') {
      this.running(svc, s, s.owner!);
    }
  }

  /**
   * The owner is gone and fenced: whatever ran there has stopped. A stop that was in flight is
   * complete; anything else is recovered elsewhere.
   */
  ownerLost(s: ServiceState): ServiceState {
    const kind = s.pending?.kind;
    const state = kind === 'disable' ? 'disabled' : kind === 'stop' ? 'stopped' : 'recovering';
    const next = transition(s, state, undefined, this.input.atMs);
    this.p.set(next);
    return next;
  }

  running(svc: ServicePolicy, s: ServiceState, owner: string): void {
    const lost = svc.requiresAlways.find((id) => !isUp(this.p.stateOf(id)));
    const apart = svc.colocateWith.find((id) => this.p.stateOf(id).owner !== owner);
    if (lost !== undefined || apart !== undefined) {
      const reason = lost ? `${lost} is not running` : `${apart} no longer runs on ${owner}`;
      this.intents.push(...beginStop(this.p, s, { kind: 'recover' }, this.input.atMs));
      this.decide(svc.id, 'stop', owner, reason);
      return;
    }
    this.failback(svc, s, owner);
  }

  /**
   * Moves a service to a node that scores higher than its owner (rgmanager's failback), after
   * a member transition; at any time when its owner is no longer legal for it.
   */
  failback(svc: ServicePolicy, s: ServiceState, owner: string): void {
    if (svc.colocateWith.length > 0) return;
    const ownerScore = this.p.score(svc, owner);
    if (!this.input.memberTransition && ownerScore !== Score.illegal) return;
    const best = this.p.best(svc, owner);
    if (!best || best.score <= ownerScore) return;
    const reason = `${best.node} scores ${scoreNames[best.score]}, ${owner} ${scoreNames[ownerScore]}`;
    this.intents.push(...beginMove(this.p, s, best.node, this.input.atMs));
    this.decide(svc.id, svc.migratory ? 'migrate' : 'relocate', best.node, reason);
  }

  tryStart(svc: ServicePolicy, s: ServiceState, why: string): void {
    const missing = this.p.missingRequirement(svc);
    if (missing !== undefined) {
      this.decide(svc.id, 'wait', undefined, `${missing} is not started`);
      return;
    }
    const best = this.p.best(svc);
    if (best) {
      this.intents.push(...beginStart(this.p, s, best.node, this.input.atMs));
      this.decide(
        svc.id,
        'start',
        best.node,
        `${why}; ${best.node} scores ${scoreNames[best.score]}`,
      );
      return;
    }
    const domain = svc.domain;
    if (domain?.restricted && !this.p.domains.get(domain).anyOnline) {
      this.p.set(transition(s, 'stopped', undefined, this.input.atMs));
      this.decide(svc.id, 'mark-stopped', undefined, 'restricted domain unavailable');
      return;
    }
    if (this.makeRoom(svc)) return;
    this.decide(svc.id, 'wait', undefined, this.p.place(svc).reason);
  }

  /**
   * A service kept off its only legal nodes by a colocate="never" partner asks the partner to
   * move elsewhere (the rgmanager dependency tests' expected solution), then starts later.
   */
  makeRoom(svc: ServicePolicy): boolean {
    for (const node of this.p.candidates) {
      if (this.p.score(svc, node) === Score.illegal) continue;
      const block = this.p.block(svc, node);
      if (block?.rule !== 'separate' || block.service === undefined) continue;
      const partner = this.p.stateOf(block.service);
      const partnerSvc = this.p.config.byId.get(block.service);
      if (!partnerSvc || partner.state !== 'started' || partner.frozen) continue;
      const elsewhere = this.p.best(partnerSvc, node);
      if (!elsewhere) continue;
      this.intents.push(...beginMove(this.p, partner, elsewhere.node, this.input.atMs));
      this.decide(partner.id, 'relocate', elsewhere.node, `making room for ${svc.id} on ${node}`);
      this.decide(svc.id, 'wait', node, `waiting for ${partner.id} to leave ${node}`);
      return true;
    }
    return false;
  }
}

const isUp = (s: ServiceState) => s.state === 'started' || s.state === 'migrating';
/** States whose owner's death changes the record (a failed service stays failed). */
const ownerMatters = (s: ServiceState) =>
  s.state === 'starting' ||
  s.state === 'started' ||
  s.state === 'stopping' ||
  s.state === 'migrating';

/**
 * Evaluates every service once. Answers "what would happen" too: the result is a proposal that
 * only takes effect when the leader commits `state`.
 */
export function placeAll(input: EvaluationInput): Evaluation {
  const p = new Placer(input.config, input.members, input.state);
  if (input.state.locked) return { state: input.state, intents: [], decisions: [] };
  const e = new Evaluator(p, input);
  for (const svc of input.config.services) e.service(svc);
  return { state: p.snapshot(), intents: e.intents, decisions: e.decisions };
}
