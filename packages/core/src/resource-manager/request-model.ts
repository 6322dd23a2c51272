// Administrators' requests (clusvcadm) and their outcomes, as data.
import type { Intent, ResourceManagerState } from './model.js';
import type { PlacementInput } from './placement.js';

export type ServiceRequestKind =
  | 'enable'
  | 'disable'
  | 'stop'
  | 'restart'
  | 'relocate'
  | 'freeze'
  | 'unfreeze'
  | 'convalesce';

export type RmRequest =
  | { readonly kind: 'enable' | 'relocate'; readonly service: string; readonly target?: string }
  | { readonly kind: Exclude<ServiceRequestKind, 'enable' | 'relocate'>; readonly service: string }
  /** Live migration needs a target (clusvcadm: "Migration requires a target cluster member"). */
  | { readonly kind: 'migrate'; readonly service: string; readonly target: string }
  | { readonly kind: 'lock' | 'unlock' | 'query-lock' };

export interface RequestInput extends PlacementInput {
  /** The leader's time stamp (ms) for the records the request writes. */
  readonly atMs: number;
  /** Defaults to true; without quorum every request fails with -9. */
  readonly quorate?: boolean;
}

export interface RequestOutcome {
  /** rgmanager's result code: 0 success, negative failures (see `rgResults`). */
  readonly code: number;
  /** rgmanager's string for the code. */
  readonly message: string;
  /** Why, in words, when the code alone does not say (e.g. how to get out of `failed`). */
  readonly detail: string | undefined;
  /** The node the service runs on (or is starting on) afterwards. */
  readonly owner: string | undefined;
  readonly state: ResourceManagerState;
  /** Agent operations, in the order the executor must run them. */
  readonly intents: readonly Intent[];
}
