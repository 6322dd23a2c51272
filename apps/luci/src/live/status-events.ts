import type {
  ClusterEventKind,
  ClusterStatus,
  MemberStatus,
  ServiceStatus,
} from '@quorate/protocol';

export interface StatusEvent {
  readonly kind: ClusterEventKind;
  readonly subject: string | null;
  readonly message: string;
}

/** What the console remembers of a cluster between two snapshots. */
export interface WatchedStatus {
  readonly status: ClusterStatus;
  /** Services that ran on a member now lost, by service id: that member must be fenced first. */
  readonly awaitingFence: ReadonlyMap<string, string>;
  /** Lost members whose fence the console has seen succeed, until they are back. */
  readonly fenced: ReadonlySet<string>;
  /**
   * Members still online whose going the console already knows the cause of: a clean leave
   * (`cman_tool leave`, asked by the console or reported by an agent), a fence an agent
   * reported succeeded (`fence_node` fences a member before its peers miss it), or a loss an
   * agent reported. The snapshot that shows one offline says so; after a leave or a fence it
   * guesses no fence.
   */
  readonly expectedLoss: ReadonlyMap<string, LossCause>;
  /** Members that left cleanly, until they are back: the cluster fences none of them. */
  readonly left: ReadonlySet<string>;
}

export type LossCause = 'leave' | 'fence' | 'lost';

export const firstWatch = (status: ClusterStatus): WatchedStatus => ({
  status,
  awaitingFence: new Map(),
  fenced: new Set(),
  expectedLoss: new Map(),
  left: new Set(),
});

/** `watched` expecting `node` to go for `cause`, or (null) no longer expecting it to. */
export function withExpectedLoss(
  watched: WatchedStatus,
  node: string,
  cause: LossCause | null,
): WatchedStatus {
  const next = new Map(watched.expectedLoss);
  if (cause === null) next.delete(node);
  else next.set(node, cause);
  return { ...watched, expectedLoss: next };
}

/**
 * What changed between two status snapshots of one cluster, as events in RHCS's words. The
 * agents push whole snapshots, so the console learns of a fence the way an administrator
 * watching clustat would: a member goes offline while the cluster stays quorate (fenced fences
 * it), and a service it ran is given a new owner only once that fence succeeded (DESIGN.md §2,
 * rule 2), however many snapshots that takes.
 */
export function statusEvents(
  previous: WatchedStatus,
  next: ClusterStatus,
): { events: StatusEvent[]; watched: WatchedStatus } {
  const before = previous.status;
  const services = serviceEvents(previous, next);
  const events = [
    ...quorumEvents(before, next),
    ...memberEvents(previous, next),
    ...services.events,
    ...lockEvents(before, next),
  ];
  const online = new Set(next.members.filter((m) => m.online).map((m) => m.name));
  const fenced = new Set([...previous.fenced].filter((name) => !online.has(name)));
  for (const event of events) {
    if (event.kind === 'fenced' && event.subject) fenced.add(event.subject);
  }
  const left = new Set([...previous.left].filter((name) => !online.has(name)));
  const expectedLoss = new Map<string, LossCause>();
  for (const [name, cause] of previous.expectedLoss) {
    if (online.has(name)) expectedLoss.set(name, cause);
    else if (cause === 'leave') left.add(name);
  }
  const { awaitingFence } = services;
  const watched = { status: next, awaitingFence, fenced, expectedLoss, left };
  return { events, watched };
}

function votes(status: ClusterStatus): string {
  const { totalVotes, expectedVotes, quorum } = status.quorum;
  return `${totalVotes} of ${expectedVotes} votes, quorum ${quorum}`;
}

function quorumEvents(previous: ClusterStatus, next: ClusterStatus): StatusEvent[] {
  if (previous.quorum.quorate === next.quorum.quorate) return [];
  const word = next.quorum.quorate ? 'quorate' : 'inquorate';
  return [{ kind: 'quorum', subject: null, message: `Cluster is ${word} (${votes(next)})` }];
}

/**
 * Members leaving and joining. A quorate cluster fences a member it lost; one that loses a
 * member while inquorate fences it once quorum returns (unless that fence was already seen). A
 * member that left cleanly is fenced by nobody.
 */
function memberEvents(previous: WatchedStatus, next: ClusterStatus): StatusEvent[] {
  const before = new Map(previous.status.members.map((m) => [m.name, m]));
  const quorumBack = !previous.status.quorum.quorate && next.quorum.quorate;
  const events: StatusEvent[] = [];
  for (const member of next.members) {
    const old = before.get(member.name);
    if (!old) continue;
    const lost = old.online && !member.online;
    const cause = lost ? previous.expectedLoss.get(member.name) : undefined;
    if (lost) {
      const words = cause === 'leave' ? 'left the cluster' : 'is offline';
      events.push({ kind: 'member', subject: member.name, message: `${member.name} ${words}` });
    }
    if (cause === 'fence') {
      events.push({ kind: 'fenced', subject: member.name, message: `${member.name} was fenced` });
    }
    const stillUnfenced =
      !member.online && !previous.fenced.has(member.name) && !previous.left.has(member.name);
    const accountedFor = cause === 'leave' || cause === 'fence';
    if (next.quorum.quorate && !accountedFor && (lost || (quorumBack && stillUnfenced))) {
      events.push(fencing(member));
    }
    if (!old.online && member.online) {
      events.push(joined(member, 'joined the cluster'));
    } else if (member.online && member.incarnation > old.incarnation) {
      events.push(joined(member, 'restarted and rejoined the cluster'));
    }
  }
  return events;
}

function fencing(member: MemberStatus): StatusEvent {
  return {
    kind: 'fence',
    subject: member.name,
    message: `Fencing ${member.name}: its services recover once the fence succeeds`,
  };
}

function joined(member: MemberStatus, words: string): StatusEvent {
  return { kind: 'member', subject: member.name, message: `${member.name} ${words}` };
}

function serviceEvents(previous: WatchedStatus, next: ClusterStatus) {
  const before = new Map(previous.status.services.map((s) => [s.id, s]));
  // Nothing waits for the fence of a member that left cleanly or whose fence was already seen.
  const accountedFor = (name: string) => {
    const cause = previous.expectedLoss.get(name);
    return cause === 'leave' || cause === 'fence' || previous.left.has(name);
  };
  const offline = new Set(
    next.members.filter((m) => !m.online && !accountedFor(m.name)).map((m) => m.name),
  );
  const awaitingFence = new Map(previous.awaitingFence);
  const fenced = new Set<string>();
  const events: StatusEvent[] = [];
  for (const service of next.services) {
    const old = before.get(service.id);
    if (!old) continue;
    if (old.owner !== null && offline.has(old.owner) && !awaitingFence.has(service.id)) {
      awaitingFence.set(service.id, old.owner);
    }
    const lost = awaitingFence.get(service.id);
    if (lost !== undefined && service.owner !== null && service.owner !== lost) {
      awaitingFence.delete(service.id);
      if (!fenced.has(lost))
        events.push({ kind: 'fenced', subject: lost, message: `${lost} was fenced` });
      fenced.add(lost);
    } else if (lost !== undefined && !offline.has(lost)) {
      awaitingFence.delete(service.id);
    }
    const change = serviceChange(old, service);
    if (change) events.push({ kind: 'service', subject: service.id, message: change });
  }
  return { events, awaitingFence };
}

function serviceChange(old: ServiceStatus, service: ServiceStatus): string | null {
  const id = service.id;
  if (old.state !== service.state || (service.state === 'started' && old.owner !== service.owner)) {
    if (service.state === 'started') {
      const was = old.owner && old.owner !== service.owner ? ` (was on ${old.owner})` : '';
      return `${id} started on ${service.owner ?? 'none'}${was}`;
    }
    if (service.state === 'recovering') {
      return `${id} is recovering${service.lastOwner ? ` (last on ${service.lastOwner})` : ''}`;
    }
    const on = service.owner && service.state !== 'stopping' ? ` on ${service.owner}` : '';
    return `${id} is ${service.state}${on}`;
  }
  if (old.frozen !== service.frozen) return `${id} is ${service.frozen ? 'frozen' : 'unfrozen'}`;
  return null;
}

function lockEvents(previous: ClusterStatus, next: ClusterStatus): StatusEvent[] {
  const locked = next.resourceManager.locked;
  if (previous.resourceManager.locked === locked) return [];
  const message = `Resource groups ${locked ? 'locked' : 'unlocked'}`;
  return [{ kind: 'lock', subject: null, message }];
}
