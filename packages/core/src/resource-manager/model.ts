// The resource manager's replicated state: one record per service (rgmanager's rg_state_t) and
// the cluster lock. Plain immutable data: the leader appends new records to the log, and every
// function here returns a new state rather than changing the one it was given.

/** rgmanager's service states (rg_strings.c), `recoverable` folded into `recovering`. */
export type ServiceStateName =
  | 'stopped'
  | 'starting'
  | 'started'
  | 'stopping'
  | 'failed'
  | 'recovering'
  | 'disabled'
  | 'migrating'
  | 'uninitialized';

/** rgmanager's numeric state codes, as `clustat` prints them and exits with. */
export const serviceStateCodes: Readonly<Record<ServiceStateName, number>> = {
  stopped: 110,
  starting: 111,
  started: 112,
  stopping: 113,
  failed: 114,
  uninitialized: 115,
  recovering: 118,
  disabled: 119,
  migrating: 120,
};

/**
 * What the service does once the stop (or migration) in flight has been confirmed. The leader
 * records it with the stop, so a new leader finishes the same move.
 */
export type PendingMove =
  | { readonly kind: 'disable' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'recover' }
  | { readonly kind: 'restart'; readonly node: string }
  | { readonly kind: 'relocate'; readonly node: string }
  | { readonly kind: 'migrate'; readonly node: string };

export interface ServiceState {
  /** `TYPE:NAME`, e.g. `service:web` or `vm:guest1`. */
  readonly id: string;
  readonly state: ServiceStateName;
  /** The node the log has committed as the service's owner, if any. */
  readonly owner: string | undefined;
  readonly lastOwner: string | undefined;
  /** The leader's time stamps (ms) of in-place restarts after failures, oldest first. */
  readonly restartTimesMs: readonly number[];
  /** No status checks, no failover, no moves (clusvcadm -Z). */
  readonly frozen: boolean;
  /** A non-critical subtree failed and is left stopped (clusvcadm -c restarts it). */
  readonly partial: boolean;
  /** The leader's time stamp (ms) of the last change of `state`; 0 for never. */
  readonly lastTransitionMs: number;
  readonly pending: PendingMove | undefined;
}

export interface ResourceManagerState {
  /** By service id. A service without a record is `uninitialized`. */
  readonly services: Readonly<Record<string, ServiceState>>;
  /**
   * clusvcadm -l. Unlike rgmanager's lock, which was local to each node and vanished on quorum
   * loss, this one is replicated and holds until someone unlocks it.
   */
  readonly locked: boolean;
}

export const emptyResourceManagerState: ResourceManagerState = { services: {}, locked: false };

/** What the executor (the node agents) must do, as data. */
export type Intent =
  | { readonly op: 'start'; readonly service: string; readonly node: string }
  | { readonly op: 'stop'; readonly service: string; readonly node: string }
  | {
      readonly op: 'migrate';
      readonly service: string;
      readonly node: string;
      readonly target: string;
    }
  | { readonly op: 'convalesce'; readonly service: string; readonly node: string };

/** States in which a service's resources may be active on its owner. */
export const activeStates: ReadonlySet<ServiceStateName> = new Set([
  'starting',
  'started',
  'stopping',
  'migrating',
  'failed',
]);

export function initialServiceState(id: string): ServiceState {
  return {
    id,
    state: 'uninitialized',
    owner: undefined,
    lastOwner: undefined,
    restartTimesMs: [],
    frozen: false,
    partial: false,
    lastTransitionMs: 0,
    pending: undefined,
  };
}

export function serviceState(rm: ResourceManagerState, id: string): ServiceState {
  return rm.services[id] ?? initialServiceState(id);
}

export function withService(rm: ResourceManagerState, next: ServiceState): ResourceManagerState {
  return { ...rm, services: { ...rm.services, [next.id]: next } };
}

/**
 * A new record in `state` on `owner`. The last owner is the previous owner whenever that
 * changes, as rgmanager kept it for `clustat`'s "(last)" column.
 */
export function transition(
  s: ServiceState,
  state: ServiceStateName,
  owner: string | undefined,
  atMs: number,
  pending?: PendingMove,
): ServiceState {
  const lastOwner = s.owner !== undefined && s.owner !== owner ? s.owner : s.lastOwner;
  const lastTransitionMs = s.state === state ? s.lastTransitionMs : atMs;
  // Spelled out rather than spread: a full re-evaluation writes up to one per service.
  return {
    id: s.id,
    state,
    owner,
    lastOwner,
    restartTimesMs: s.restartTimesMs,
    frozen: s.frozen,
    partial: s.partial,
    lastTransitionMs,
    pending,
  };
}
