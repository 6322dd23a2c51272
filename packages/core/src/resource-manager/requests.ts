// clusvcadm's requests against the replicated service state (rgmanager's svc_advise_start /
// svc_advise_stop rules, rhcs.md §4.1), decided at once by the leader: the outcome carries the
// result code, the new state and the agent operations to run.
import { type Intent, type ServiceState, transition } from './model.js';
import { beginMove, beginStart, beginStop } from './moves.js';
import { type Placement, Placer } from './placement.js';
import type { RequestInput, RequestOutcome, RmRequest } from './request-model.js';
import { type RgResultName, rgResults } from './result-codes.js';
import type { ServicePolicy } from './rm-config.js';
import { Score } from './score.js';

interface Verdict {
  readonly result: RgResultName;
  readonly detail?: string;
  readonly owner?: string | undefined;
  readonly intents?: readonly Intent[];
}

const inFlight = (s: ServiceState) =>
  s.pending !== undefined || ['starting', 'stopping', 'migrating'].includes(s.state);

class RequestHandler {
  readonly p: Placer;
  readonly atMs: number;
  readonly fencing: ReadonlySet<string>;

  constructor(readonly input: RequestInput) {
    this.p = new Placer(input.config, input.members, input.state);
    this.atMs = input.atMs;
    this.fencing = new Set(input.awaitingFence ?? []);
  }

  ownerOnline(s: ServiceState): boolean {
    return s.owner !== undefined && this.p.online.has(s.owner);
  }

  /** Whether `node` may take `svc` now: online, legal for its domain, nothing in the way. */
  accepts(svc: ServicePolicy, node: string): boolean {
    return this.p.score(svc, node) !== Score.illegal && !this.p.block(svc, node);
  }

  start(
    svc: ServicePolicy,
    s: ServiceState,
    target: string | undefined,
    verb = 'enabled',
  ): Verdict {
    if (s.state === 'failed') return failedVerdict(s, verb);
    if ((s.state === 'started' && this.ownerOnline(s)) || s.state === 'migrating') {
      return { result: 'alreadyRunning', owner: s.owner };
    }
    if (this.input.state.locked) return lockedVerdict();
    if (target !== undefined && !this.p.online.has(target)) return deadTarget(target);
    const placement = this.p.place(svc);
    if (placement.result === 'dependency') return placementVerdict(placement);
    const node = target !== undefined && this.accepts(svc, target) ? target : placement.node;
    if (node === undefined) return placementVerdict(placement);
    const from = s.owner !== undefined && s.state === 'started' ? s.owner : undefined;
    // The owner is down (and fenced): take the service over, as rgmanager did.
    const base = from ? transition(s, 'recovering', undefined, this.atMs) : s;
    return { result: 'success', owner: node, intents: beginStart(this.p, base, node, this.atMs) };
  }

  stop(s: ServiceState, kind: 'disable' | 'stop'): Verdict {
    const finalState = kind === 'disable' ? 'disabled' : 'stopped';
    if (s.state === 'failed' && kind === 'stop') {
      return { result: 'failure', detail: `${s.id} has failed; it can only be disabled` };
    }
    if (s.state === 'failed' && this.ownerOnline(s)) {
      // Its resources may still run on the owner (the stop that failed): stop them there
      // first; a stop that fails again leaves it failed.
      return {
        result: 'success',
        owner: undefined,
        intents: beginStop(this.p, s, { kind: 'disable' }, this.atMs),
      };
    }
    if (s.state === 'started' && this.ownerOnline(s)) {
      return {
        result: 'success',
        owner: undefined,
        intents: beginStop(this.p, s, { kind }, this.atMs),
      };
    }
    if (s.state === 'disabled' || s.state === finalState) return { result: 'success' };
    this.p.set(transition(s, finalState, undefined, this.atMs));
    return { result: 'success' };
  }

  restart(svc: ServicePolicy, s: ServiceState): Verdict {
    if (s.state !== 'started' || !this.ownerOnline(s)) {
      return this.start(svc, s, undefined, 'restarted');
    }
    if (this.input.state.locked) return lockedVerdict();
    const missing = this.p.missingRequirement(svc);
    if (missing !== undefined) return { result: 'dependency', detail: `${missing} is not started` };
    const intents = beginStop(this.p, s, { kind: 'restart', node: s.owner! }, this.atMs);
    return { result: 'success', owner: s.owner, intents };
  }

  relocate(svc: ServicePolicy, s: ServiceState, target: string | undefined): Verdict {
    if (s.state !== 'started' || !this.ownerOnline(s))
      return this.start(svc, s, target, 'relocated');
    if (this.input.state.locked) return lockedVerdict();
    const owner = s.owner!;
    if (target !== undefined && !this.p.online.has(target)) return deadTarget(target);
    if (target === owner) return { result: 'alreadyRunning', owner };
    const missing = this.p.missingRequirement(svc);
    if (missing !== undefined) return { result: 'dependency', detail: `${missing} is not started` };
    const node =
      target !== undefined && this.accepts(svc, target) ? target : this.p.best(svc, owner)?.node;
    if (node === undefined) {
      const detail = `no other node can take ${svc.id}: ${this.p.place(svc, { exclude: owner }).reason}`;
      return { result: 'runningOnOriginal', detail, owner };
    }
    return {
      result: 'success',
      owner: node,
      intents: beginMove(this.p, s, node, this.atMs, false),
    };
  }

  migrate(svc: ServicePolicy, s: ServiceState, target: string): Verdict {
    if (!svc.migratory) {
      return { result: 'invalid', detail: `${svc.type} resources cannot migrate; use relocate` };
    }
    if (s.state !== 'started' || !this.ownerOnline(s)) {
      return { result: 'invalid', detail: `${svc.id} is not running` };
    }
    if (this.input.state.locked) return lockedVerdict();
    if (!this.p.online.has(target)) return deadTarget(target);
    if (target === s.owner) return { result: 'alreadyRunning', owner: target };
    if (!this.accepts(svc, target)) {
      const verdict = this.p.verdicts(svc).find((v) => v.node === target);
      const why =
        verdict?.score === 'ILLEGAL' ? 'outside its domain' : `blocked (${verdict?.block?.rule})`;
      return {
        result: 'notRunnable',
        detail: `${target} cannot run ${svc.id}: ${why}`,
        owner: s.owner,
      };
    }
    return {
      result: 'success',
      owner: target,
      intents: beginMove(this.p, s, target, this.atMs, true),
    };
  }

  convalesce(s: ServiceState): Verdict {
    if (s.state !== 'started' || !this.ownerOnline(s)) {
      return { result: 'invalid', detail: `${s.id} is not running` };
    }
    if (!s.partial) return { result: 'success', owner: s.owner };
    return {
      result: 'success',
      owner: s.owner,
      intents: [{ op: 'convalesce', service: s.id, node: s.owner! }],
    };
  }

  service(request: Extract<RmRequest, { service: string }>): Verdict {
    const svc = this.p.config.byId.get(request.service);
    if (!svc) return { result: 'noService', detail: `${request.service} is not configured` };
    const s = this.p.stateOf(svc.id);
    if (request.kind === 'freeze' || request.kind === 'unfreeze') {
      this.p.set({ ...s, frozen: request.kind === 'freeze' });
      return { result: 'success', owner: s.owner };
    }
    if (s.frozen)
      return {
        result: 'frozen',
        owner: s.owner,
        detail: `unfreeze it first (clusvcadm -U ${svc.id})`,
      };
    if (s.owner !== undefined && this.fencing.has(s.owner))
      return { result: 'fencePending', owner: s.owner };
    if (inFlight(s))
      return { result: 'tryAgain', owner: s.owner, detail: `${svc.id} is ${s.state}` };
    switch (request.kind) {
      case 'enable':
        return this.start(svc, s, request.target);
      case 'disable':
      case 'stop':
        return this.stop(s, request.kind);
      case 'restart':
        return this.restart(svc, s);
      case 'relocate':
        return this.relocate(svc, s, request.target);
      case 'migrate':
        return this.migrate(svc, s, request.target);
      case 'convalesce':
        return this.convalesce(s);
    }
  }
}

function failedVerdict(s: ServiceState, verb: string): Verdict {
  const detail = `${s.id} has failed; disable it (clusvcadm -d ${s.id}) before it can be ${verb}`;
  return { result: 'failure', detail, owner: undefined };
}

function lockedVerdict(): Verdict {
  // The walkthrough's rgmanager answered a relocation while locked with a plain Failure.
  return { result: 'failure', detail: 'resource groups are locked (clusvcadm -u unlocks them)' };
}

function deadTarget(target: string): Verdict {
  return { result: 'targetDead', detail: `${target} is not an online member` };
}

function placementVerdict(p: Placement): Verdict {
  return { result: p.result, detail: p.reason };
}

/** Decides one clusvcadm request. Nothing changes unless the leader commits `state`. */
export function applyRequest(input: RequestInput, request: RmRequest): RequestOutcome {
  const handler = new RequestHandler(input);
  let verdict: Verdict;
  let locked = input.state.locked;
  if (input.quorate === false) verdict = { result: 'needsQuorum' };
  else if ('service' in request) verdict = handler.service(request);
  else {
    // The lock is cluster-wide and replicated: it holds across leaders and quorum loss.
    if (request.kind !== 'query-lock') locked = request.kind === 'lock';
    verdict = { result: 'success', detail: `Resource groups ${locked ? 'locked' : 'unlocked'}` };
  }
  const { code, message } = rgResults[verdict.result];
  const failed = code !== 0;
  return {
    code,
    message,
    detail: verdict.detail,
    owner: verdict.owner,
    state: failed ? input.state : handler.p.snapshot(locked),
    intents: failed ? [] : (verdict.intents ?? []),
  };
}
