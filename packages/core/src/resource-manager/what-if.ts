// "What would happen if": nodes fail or services are moved, and the resource manager is
// played forward with every agent operation succeeding, without touching the cluster. The
// console runs this in the browser with the committed configuration and service state.
import type { Decision } from './evaluate.js';
import type { ResourceManagerState, ServiceStateName } from './model.js';
import { serviceState } from './model.js';
import { applyRequest } from './requests.js';
import type { RmConfig } from './rm-config.js';
import { runOperations, type SettleInput, settle } from './settle.js';

export interface WhatIfInput {
  readonly config: RmConfig;
  /** Online members as they are now. */
  readonly members: readonly string[];
  readonly state: ResourceManagerState;
  /** Members that fail (and are fenced): their services are recovered elsewhere. */
  readonly failNodes?: readonly string[];
  /** Relocations asked in this order, as `clusvcadm -r service -m target` would. */
  readonly moves?: readonly { readonly service: string; readonly target: string }[];
  /** The time stamp (ms) for the records of the prediction; it changes no decision. */
  readonly atMs?: number;
}

export interface WhereService {
  readonly state: ServiceStateName;
  readonly owner: string | undefined;
}

export interface WhatIfService {
  readonly service: string;
  readonly before: WhereService;
  readonly after: WhereService;
  /** The last decision taken for it, or why it waits; undefined when nothing touched it. */
  readonly reason: string | undefined;
}

export interface WhatIfMoveRefusal {
  readonly service: string;
  readonly target: string;
  /** rgmanager's words for the refusal, e.g. "Invalid operation for resource". */
  readonly message: string;
}

export interface WhatIfResult {
  /** Every configured service, in the configuration's order. */
  readonly services: readonly WhatIfService[];
  /** Moves the resource manager would refuse (the rest of the prediction goes on without them). */
  readonly refusedMoves: readonly WhatIfMoveRefusal[];
}

const always = () => true;

export function whatIf(input: WhatIfInput): WhatIfResult {
  const failing = new Set(input.failNodes ?? []);
  const base: SettleInput = {
    config: input.config,
    members: input.members.filter((m) => !failing.has(m)),
    state: input.state,
    atMs: input.atMs ?? 0,
  };
  const reasons = new Map<string, string>();
  const observer = { decision: (d: Decision) => reasons.set(d.service, d.reason) };
  // The failures first: the leader recovers what ran there before any request is served.
  let state = settle({ ...base, memberTransition: failing.size > 0 }, always, observer).state;
  const refusedMoves: WhatIfMoveRefusal[] = [];
  for (const { service, target } of input.moves ?? []) {
    const outcome = applyRequest({ ...base, state }, { kind: 'relocate', service, target });
    if (outcome.code !== 0) {
      refusedMoves.push({ service, target, message: outcome.message });
      continue;
    }
    reasons.set(service, `relocated to ${target} as asked`);
    state = runOperations({ ...base, state: outcome.state }, outcome.intents, always);
    state = settle({ ...base, state, memberTransition: false }, always, observer).state;
  }
  const last = settle({ ...base, state, memberTransition: false }, always, observer);
  for (const wait of last.waits) reasons.set(wait.service, wait.reason);
  const where = (s: ResourceManagerState, id: string): WhereService => {
    const { state: name, owner } = serviceState(s, id);
    return { state: name, owner };
  };
  const services = input.config.services.map(({ id }) => ({
    service: id,
    before: where(input.state, id),
    after: where(last.state, id),
    reason: reasons.get(id),
  }));
  return { services, refusedMoves };
}
