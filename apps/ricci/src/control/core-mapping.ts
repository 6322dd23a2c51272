import type { ConfigProposalResult, RequestOutcome, ServiceState } from '@quorate/core';
import type { ConfigUpdateResult, RmResult, ServiceStatus } from '@quorate/protocol';

// The core's shapes as the control protocol carries them, for the daemon's ControlProvider.

/** One service's record as clustat shows it; `restarts` counts the in-place restarts kept. */
export function serviceStatusOf(s: ServiceState): ServiceStatus {
  return {
    id: s.id,
    state: s.state,
    owner: s.owner ?? null,
    lastOwner: s.lastOwner ?? null,
    frozen: s.frozen,
    partial: s.partial,
    restarts: s.restartTimesMs.length,
    lastTransitionMs: s.lastTransitionMs,
  };
}

/** A clusvcadm request's outcome; `locked` is the lock after it (what `-S` prints). */
export function rmResultOf(
  outcome: Pick<RequestOutcome, 'code' | 'message' | 'detail' | 'owner'>,
  locked?: boolean,
): RmResult {
  return {
    type: 'rm',
    code: outcome.code,
    message: outcome.message,
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    owner: outcome.owner ?? null,
    ...(locked === undefined ? {} : { locked }),
  };
}

/** A proposal's result, with the version it replaces for "updated from version A to B". */
export function configUpdateResultOf(
  previousVersion: number,
  result:
    | { readonly accepted: true; readonly version: number }
    | Extract<ConfigProposalResult, { accepted: false }>,
): ConfigUpdateResult {
  if (result.accepted) {
    return { type: 'config-update', accepted: true, previousVersion, version: result.version };
  }
  return { type: 'config-update', accepted: false, rule: result.rule, message: result.message };
}
