import type { ClusterEventKind, ClusterStatus } from '@quorate/protocol';
import type { StatusEvent } from './status-events.js';

/**
 * What an event's message says, as data kept beside it: the timeline filters events by node
 * and links them, and a service's history is read back from these fields, never from words.
 */
export type EventDetail = {
  /** A service's state and owner after the event, and its owner before when that differs. */
  readonly state?: string;
  readonly owner?: string | null;
  readonly previousOwner?: string;
  /** A member's presence after the event. */
  readonly online?: boolean;
};

const memberKinds: readonly ClusterEventKind[] = ['member', 'fence', 'fenced'];

/** The detail of `event`, which the change from `before` to `after` produced. */
export function eventDetail(
  event: StatusEvent,
  before: ClusterStatus | null,
  after: ClusterStatus | null,
): EventDetail | undefined {
  if (!after || event.subject === null) return undefined;
  if (event.kind === 'service') {
    const now = after.services.find((s) => s.id === event.subject);
    if (!now) return undefined;
    const was = before?.services.find((s) => s.id === event.subject)?.owner ?? null;
    const moved = was !== null && was !== now.owner ? { previousOwner: was } : {};
    return { state: now.state, owner: now.owner, ...moved };
  }
  if (memberKinds.includes(event.kind)) {
    const member = after.members.find((m) => m.name === event.subject);
    return member ? { online: member.online } : undefined;
  }
  return undefined;
}

/** The node an event concerns: the member itself, or where the service is (or was). */
export function eventNode(
  kind: ClusterEventKind,
  subject: string | null,
  detail: EventDetail,
): string | null {
  if (memberKinds.includes(kind)) return subject;
  if (kind === 'service') return detail.owner ?? detail.previousOwner ?? null;
  return null;
}
