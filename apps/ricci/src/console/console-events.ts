import type { ControllerEvent, ObserverEvent } from '@quorate/core';
import type { ConsoleEvent } from '@quorate/protocol';

/** Where and when (ms since the epoch, this agent's clock) a transition was seen. */
export interface EventOrigin {
  readonly node: string;
  readonly atMs: number;
}

type Unplaced<T> = T extends unknown ? Omit<T, 'node' | 'atMs'> : never;

/**
 * The console's view of a core event: membership, quorum, leader, service, emergency stop,
 * node loss and fencing transitions. Null for events a console does not follow (committed
 * entries, request results, probes); those still mark the status as changed.
 */
export function consoleEventOf(
  event: ObserverEvent | ControllerEvent,
  origin: EventOrigin,
): ConsoleEvent | null {
  const unplaced = unplacedEventOf(event);
  return unplaced === null ? null : ({ ...origin, ...unplaced } as ConsoleEvent);
}

function unplacedEventOf(event: ObserverEvent | ControllerEvent): Unplaced<ConsoleEvent> | null {
  switch (event.type) {
    case 'membership-changed': {
      const { members, joined, lost, left, restarted } = event;
      return { kind: 'membership', members, joined, lost, left, restarted };
    }
    case 'quorum-changed': {
      const { quorate, votes, expectedVotes, quorum } = event;
      return { kind: 'quorum', quorate, votes, expectedVotes, quorum };
    }
    case 'leader-changed':
      return { kind: 'leader', leader: event.leader, term: event.term };
    case 'service-state-changed':
      return {
        kind: 'service',
        service: event.service,
        state: event.state as Extract<ConsoleEvent, { kind: 'service' }>['state'],
        owner: event.owner ?? null,
        partial: event.partial,
      };
    case 'emergency-stop':
      return { kind: 'emergency-stop', service: event.service, reason: event.reason };
    case 'node-lost':
      return { kind: 'node-lost', victim: event.node, incarnation: event.incarnation };
    case 'fence-started':
    case 'fence-waiting-ack':
    case 'fence-succeeded':
    case 'fence-failed':
      return {
        kind: 'fence',
        victim: event.victim,
        method: event.method,
        outcome: event.type.slice('fence-'.length) as 'started',
      };
    case 'fence-settling':
      return { kind: 'fence', victim: event.victim, method: '', outcome: 'settling' };
    default:
      return null;
  }
}
