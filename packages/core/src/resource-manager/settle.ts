// The leader's loop without the cluster: evaluate, run what was decided, feed each result back,
// and evaluate again until nothing changes. Transcripts and the console's what-if view both
// play a resource manager forward this way, with every agent operation answered at once.
import { type Decision, placeAll } from './evaluate.js';
import type { Intent, ResourceManagerState } from './model.js';
import type { PlacementInput } from './placement.js';
import { applyReport } from './reports.js';

export interface SettleInput extends PlacementInput {
  /** The leader's time stamp (ms) for the records written meanwhile. */
  readonly atMs: number;
}

/** Told of each step in the order the leader would take it. */
export interface SettleObserver {
  /** A decision other than `wait`. */
  decision?(decision: Decision): void;
  operation?(intent: Intent, ok: boolean): void;
  /** rgmanager-style lines about what an operation's result changed. */
  events?(lines: readonly string[]): void;
}

/** Decides whether an agent operation succeeds. */
export type OperationOutcome = (intent: Intent) => boolean;

/** Evaluation rounds before giving up on a configuration that never settles. */
const MAX_ROUNDS = 50;
/** Operations per batch before giving up (a restart loop feeds itself). */
const MAX_OPERATIONS = 1000;

/** Runs agent operations in order, feeding each result back, until none follow. */
export function runOperations(
  input: SettleInput,
  intents: readonly Intent[],
  succeeds: OperationOutcome,
  observer: SettleObserver = {},
): ResourceManagerState {
  let state = input.state;
  const queue = [...intents];
  for (let n = 0; queue.length > 0 && n < MAX_OPERATIONS; n++) {
    const intent = queue.shift() as Intent;
    const ok = succeeds(intent);
    observer.operation?.(intent, ok);
    const { op, service, node } = intent;
    const outcome = applyReport({ ...input, state }, { op, service, node, ok });
    state = outcome.state;
    observer.events?.(outcome.events);
    queue.push(...outcome.intents);
  }
  return state;
}

export interface Settled {
  readonly state: ResourceManagerState;
  /** The `wait` decisions of the last round: what still cannot happen, and why. */
  readonly waits: readonly Decision[];
}

/**
 * Evaluates until nothing changes, as the leader does after every committed change. Only the
 * first round counts as a member transition (failback and restarting stopped services).
 */
export function settle(
  input: SettleInput & { readonly memberTransition: boolean },
  succeeds: OperationOutcome,
  observer: SettleObserver = {},
): Settled {
  let state = input.state;
  let waits: Decision[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const memberTransition = input.memberTransition && round === 0;
    const evaluation = placeAll({ ...input, state, memberTransition });
    waits = evaluation.decisions.filter((d) => d.action === 'wait');
    for (const d of evaluation.decisions) if (d.action !== 'wait') observer.decision?.(d);
    const changed = evaluation.state !== state || evaluation.intents.length > 0;
    state = evaluation.state;
    if (!changed) break;
    state = runOperations({ ...input, state }, evaluation.intents, succeeds, observer);
  }
  return { state, waits };
}
