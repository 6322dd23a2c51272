// Console certificates the cluster trusts (DESIGN.md §3, "Console↔agent"): a console that
// proved the agent password to one node is recorded in the log, so every node — and any node
// added or rebuilt later, through the log or a snapshot — accepts its certificate. Changes take
// the path of an administrator's request (`leader-desk.ts`): the leader appends them, a
// follower forwards them to the leader, and the answer comes once the entry is committed.
import type { DeskRecord } from './leader-desk.js';
import type { ControllerCommand, ControllerState } from './replicated-state.js';
import type { ConsoleTrustChange, ControllerEvent } from './types.js';

/** What recording a trust change needs of the leader. */
export interface ConsoleTrustLeader {
  readonly proposed: ControllerState;
  atMs(now: number): number;
  append(command: ControllerCommand): number | null;
}

export const NO_QUORUM_MESSAGE =
  'no quorate leader: the cluster cannot record a console trust change now';

/**
 * The leader's half of a trust change: a trust already in the log (committed or not) is
 * answered when its entry commits; a revocation is always appended, as it also voids the
 * nodes' own pins made before it.
 */
export function recordConsoleTrust(
  leader: ConsoleTrustLeader,
  change: ConsoleTrustChange,
  now: number,
): DeskRecord {
  const { fingerprint } = change;
  const existing =
    change.kind === 'trust' ? leader.proposed.trustedConsoles[fingerprint] : undefined;
  const message = change.kind === 'trust' ? 'trusted by the cluster' : 'revoked by the cluster';
  const atMs = leader.atMs(now);
  const index =
    existing?.index ??
    leader.append(
      change.kind === 'trust'
        ? { v: 1, type: 'console-trusted', atMs, fingerprint, label: change.label }
        : { v: 1, type: 'console-revoked', atMs, fingerprint },
    );
  if (index === null) {
    return { refused: { ok: false, message: 'this node no longer leads; try again' } };
  }
  return { index, message };
}

/** What an applied entry changed in the trusted consoles, as events for the host. */
export function consoleTrustEvents(
  before: ControllerState,
  after: ControllerState,
): ControllerEvent[] {
  if (before.trustedConsoles === after.trustedConsoles) return [];
  const events: ControllerEvent[] = [];
  for (const fingerprint of Object.keys(after.trustedConsoles)) {
    if (after.trustedConsoles[fingerprint] !== before.trustedConsoles[fingerprint])
      events.push({ type: 'console-trust-changed', fingerprint, trusted: true });
  }
  for (const fingerprint of Object.keys(before.trustedConsoles)) {
    if (!(fingerprint in after.trustedConsoles))
      events.push({ type: 'console-trust-changed', fingerprint, trusted: false });
  }
  return events;
}

/**
 * Whether a node may accept a console certificate: the cluster trusts it, or the node pinned it
 * itself (a password hello while no quorum could record it) after the log's last revocation of
 * it — `pinnedAfter` is the log index the node had applied when it pinned.
 */
export function consoleTrusted(
  state: ControllerState,
  fingerprint: string,
  pinnedAfter: number | null,
): boolean {
  if (state.trustedConsoles[fingerprint]) return true;
  if (pinnedAfter === null) return false;
  const revoked = state.revokedConsoles[fingerprint];
  return revoked === undefined || revoked.index <= pinnedAfter;
}
