import type { ClusterEvent, MemberStatus } from '@quorate/protocol';

export interface Presence {
  /** Left cleanly: nobody fences it, so there is no fence to acknowledge. */
  readonly left: boolean;
  readonly tone: string;
  readonly icon: string;
  readonly word: string;
}

const presenceEvents: readonly ClusterEvent['kind'][] = ['fence', 'fenced', 'member'];

/**
 * Online, Offline, Fencing, fenced or left: the latest event about an offline member decides
 * (the console words a clean leave "NODE left the cluster").
 */
export function presenceOf(member: MemberStatus, events: readonly ClusterEvent[]): Presence {
  if (member.online) return { left: false, tone: 'ok', icon: '●', word: 'Online' };
  const latest = events.find((e) => e.subject === member.name && presenceEvents.includes(e.kind));
  if (latest?.kind === 'fence') return { left: false, tone: 'bad', icon: '⚡', word: 'Fencing' };
  if (latest?.kind === 'fenced')
    return { left: false, tone: 'idle', icon: '○', word: 'Offline, fenced' };
  if (latest?.message === `${member.name} left the cluster`) {
    return { left: true, tone: 'idle', icon: '○', word: 'Offline, left' };
  }
  return { left: false, tone: 'bad', icon: '✕', word: 'Offline' };
}
