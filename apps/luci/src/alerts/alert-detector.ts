import type {
  AlertDetails,
  AlertPayload,
  ClusterEvent,
  ClusterStatus,
  ServiceStatus,
} from '@quorate/protocol';

/** An alert before it has an id and a cluster: what happened, in words and as data. */
export type AlertDraft = Pick<AlertPayload, 'kind' | 'severity' | 'subject' | 'summary'> & {
  readonly at: string;
  readonly details: AlertDetails;
};

interface Trouble {
  /** The node the service ran on when it was lost or failed. */
  readonly from: string;
  readonly cause: 'owner-lost' | 'service-failed';
  readonly atMs: number;
}

interface ClusterMemory {
  /** Where each service last ran, as the status named it. */
  readonly owners: Map<string, string>;
  /** Services lost with their node or failed, until they start again or stop for good. */
  readonly troubles: Map<string, Trouble>;
  /** Lost members whose fencing began, by the time the console saw it begin. */
  readonly fencing: Map<string, number>;
  /** Members whose fence was already reported unconfirmed (once per loss). */
  readonly unconfirmed: Set<string>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Which of a cluster's changes alert, and with what payload. It reads the events the console
 * already infers from the agents' snapshots (`live/status-events.ts`: quorum, a member lost,
 * its fencing, the fence seen to succeed, service transitions) together with the snapshot they
 * came from, so the inference itself stays in one place; here it only remembers what it needs
 * to say where a service came from and how long its failover took.
 */
export class AlertDetector {
  private readonly clusters = new Map<string, ClusterMemory>();

  /** @param fenceUnconfirmedMs how long fencing may take before it alerts as unconfirmed. */
  constructor(private readonly fenceUnconfirmedMs: number) {}

  /** The alerts that `events` (recorded for `status`, oldest first) raise. */
  observe(cluster: string, events: readonly ClusterEvent[], status: ClusterStatus): AlertDraft[] {
    const memory = this.memoryOf(cluster);
    const alerts: AlertDraft[] = [];
    for (const event of events) alerts.push(...this.eventAlerts(memory, event, status));
    for (const service of status.services) {
      const owner = service.owner ?? memory.owners.get(service.id);
      if (owner !== undefined) memory.owners.set(service.id, owner);
    }
    for (const member of status.members) {
      if (!member.online) continue;
      memory.fencing.delete(member.name);
      memory.unconfirmed.delete(member.name);
    }
    return alerts;
  }

  /** Fences still unconfirmed `fenceUnconfirmedMs` after they began, while services wait. */
  overdue(nowMs: number): { cluster: string; alert: AlertDraft }[] {
    const found: { cluster: string; alert: AlertDraft }[] = [];
    for (const [cluster, memory] of this.clusters) {
      for (const [node, startedMs] of memory.fencing) {
        if (memory.unconfirmed.has(node) || nowMs - startedMs < this.fenceUnconfirmedMs) continue;
        const waiting = [...memory.troubles]
          .filter(([, trouble]) => trouble.from === node && trouble.cause === 'owner-lost')
          .map(([service]) => service);
        if (waiting.length === 0) continue;
        memory.unconfirmed.add(node);
        const durationMs = nowMs - startedMs;
        found.push({
          cluster,
          alert: {
            kind: 'fence',
            severity: 'critical',
            subject: node,
            at: iso(nowMs),
            summary:
              `Fencing ${node} is not confirmed after ${seconds(durationMs)}: ` +
              `${waiting.join(', ')} still wait${waiting.length === 1 ? 's' : ''} for it`,
            details: {
              kind: 'fence',
              node,
              result: 'unconfirmed',
              startedAt: iso(startedMs),
              durationMs,
            },
          },
        });
      }
    }
    return found;
  }

  /** Forgets the clusters not in `names` (removed ones). */
  keepOnly(names: readonly string[]): void {
    const kept = new Set(names);
    for (const name of this.clusters.keys()) if (!kept.has(name)) this.clusters.delete(name);
  }

  private memoryOf(cluster: string): ClusterMemory {
    let memory = this.clusters.get(cluster);
    if (!memory) {
      memory = {
        owners: new Map(),
        troubles: new Map(),
        fencing: new Map(),
        unconfirmed: new Set(),
      };
      this.clusters.set(cluster, memory);
    }
    return memory;
  }

  private eventAlerts(memory: ClusterMemory, event: ClusterEvent, status: ClusterStatus) {
    const atMs = Date.parse(event.at);
    const subject = event.subject;
    switch (event.kind) {
      case 'quorum':
        return [quorumAlert(event.at, status)];
      case 'member':
        if (subject !== null && isOffline(status, subject)) {
          for (const [service, owner] of memory.owners) {
            if (owner !== subject || memory.troubles.has(service)) continue;
            memory.troubles.set(service, { from: subject, cause: 'owner-lost', atMs });
          }
        }
        return [];
      case 'fence':
        if (subject !== null && !memory.fencing.has(subject)) memory.fencing.set(subject, atMs);
        return [];
      case 'fenced':
        return subject === null ? [] : [fencedAlert(memory, subject, event.at, atMs)];
      case 'service': {
        const service = status.services.find((s) => s.id === subject);
        return service ? this.serviceAlerts(memory, service, event.at, atMs, status) : [];
      }
      default:
        return [];
    }
  }

  private serviceAlerts(
    memory: ClusterMemory,
    service: ServiceStatus,
    at: string,
    atMs: number,
    status: ClusterStatus,
  ): AlertDraft[] {
    const id = service.id;
    const previous = memory.owners.get(id) ?? service.lastOwner ?? undefined;
    const trouble = memory.troubles.get(id);
    if (service.state === 'failed' || service.state === 'recovering') {
      if (!trouble && previous !== undefined) {
        const cause = isOffline(status, previous) ? 'owner-lost' : 'service-failed';
        memory.troubles.set(id, { from: previous, cause, atMs });
      }
      return service.state === 'failed' ? [failedAlert(service, previous ?? null, at)] : [];
    }
    if (service.state === 'started' && service.owner !== null && trouble) {
      memory.troubles.delete(id);
      if (service.owner === trouble.from) return [];
      return [failoverAlert(id, trouble, service.owner, at, atMs)];
    }
    if (service.state === 'disabled' || service.state === 'stopped') memory.troubles.delete(id);
    return [];
  }
}

function isOffline(status: ClusterStatus, node: string): boolean {
  return status.members.some((m) => m.name === node && !m.online);
}

function quorumAlert(at: string, status: ClusterStatus): AlertDraft {
  const { quorate, totalVotes, expectedVotes, quorum } = status.quorum;
  const votes = `${totalVotes} of ${expectedVotes} votes, quorum ${quorum}`;
  return {
    kind: 'quorum',
    severity: quorate ? 'info' : 'critical',
    subject: null,
    at,
    summary: quorate
      ? `Cluster ${status.cluster.name} regained quorum (${votes})`
      : `Cluster ${status.cluster.name} lost quorum (${votes}): no service starts or moves`,
    details: { kind: 'quorum', quorate, totalVotes, expectedVotes, quorum },
  };
}

function fencedAlert(memory: ClusterMemory, node: string, at: string, atMs: number): AlertDraft {
  const startedMs = memory.fencing.get(node);
  memory.fencing.delete(node);
  const durationMs = startedMs === undefined ? null : Math.max(0, atMs - startedMs);
  const after = durationMs === null ? '' : ` (${seconds(durationMs)} after fencing began)`;
  return {
    kind: 'fence',
    severity: 'warning',
    subject: node,
    at,
    summary: `${node} was fenced${after}`,
    details: {
      kind: 'fence',
      node,
      result: 'succeeded',
      startedAt: startedMs === undefined ? null : iso(startedMs),
      durationMs,
    },
  };
}

function failedAlert(service: ServiceStatus, node: string | null, at: string): AlertDraft {
  return {
    kind: 'service-failed',
    severity: 'critical',
    subject: service.id,
    at,
    summary: `${service.id} failed${node ? ` on ${node}` : ''} (clusvcadm -d, then -e, restarts it)`,
    details: { kind: 'service-failed', service: service.id, node },
  };
}

function failoverAlert(
  service: string,
  trouble: Trouble,
  to: string,
  at: string,
  atMs: number,
): AlertDraft {
  const durationMs = Math.max(0, atMs - trouble.atMs);
  const why =
    trouble.cause === 'owner-lost'
      ? `${trouble.from} was lost and fenced`
      : `it failed on ${trouble.from}`;
  return {
    kind: 'failover',
    severity: 'warning',
    subject: service,
    at,
    summary: `${service} failed over from ${trouble.from} to ${to} after ${why}, in ${seconds(durationMs)}`,
    details: {
      kind: 'failover',
      service,
      from: trouble.from,
      to,
      cause: trouble.cause,
      troubleAt: iso(trouble.atMs),
      durationMs,
    },
  };
}
