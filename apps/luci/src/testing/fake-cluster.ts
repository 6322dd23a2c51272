import type {
  AgentLogLine,
  ClusterLinkState,
  ClusterStatus,
  ControlAction,
  ControlResult,
  MemberStatus,
  NodeRequest,
  RmResult,
  ServiceStatus,
} from '@quorate/protocol';
import type {
  ClusterLink,
  ClusterLinkChange,
  ClusterLinkFactory,
  ClusterSnapshot,
} from '../cluster-link/cluster-link.js';

/**
 * A cluster in memory for the console's tests (vitest and the browser tests that need no test
 * hosts): it hands out links that report its status, records every action it is asked, and
 * answers them the way rgmanager does for the few rules the console's pages show (ownership,
 * the lock, frozen services, dead targets). A test changes it with `update`, `powerOff`,
 * `recover` or `setLinkState`, and every open link pushes the change at once.
 */

export interface FakeClusterOptions {
  readonly clusterName?: string;
  readonly nodes?: readonly string[];
  /** Services and where each runs: `{ 'service:webservice': 'node2' }`. */
  readonly services?: Readonly<Record<string, string>>;
  /** The address prefix of the nodes: node N gets `${subnet}.N`. */
  readonly subnet?: string;
}

/** `node`: the agent asked, for an action only that node's own agent takes (`requestAt`). */
type Answer = (action: ControlAction, node?: string) => ControlResult | Promise<ControlResult>;

export class FakeCluster {
  status: ClusterStatus;
  linkState: { state: ClusterLinkState; since: number } = { state: 'connected', since: 0 };
  /** Every action asked of the cluster, in order. */
  readonly actions: ControlAction[] = [];
  /** The actions asked of one node's own agent, with that node, in order (also in `actions`). */
  readonly actionsAt: { readonly node: string; readonly action: ControlAction }[] = [];
  /** How actions are answered; a test may replace it (to hang, fail or refuse). */
  answer: Answer = (action, node) => this.simulate(action, node);
  /** Each node's agent log lines, oldest first, as its agent would answer `logs`. */
  readonly logLines = new Map<string, AgentLogLine[]>();
  private readonly listeners = new Set<(change: ClusterLinkChange) => void>();

  constructor(options: FakeClusterOptions = {}) {
    this.status = threeNodeStatus(options);
  }

  snapshot(): ClusterSnapshot {
    return {
      clusterName: this.status.cluster.name,
      configVersion: this.status.cluster.configVersion,
      nodes: this.status.members.map((m) => ({
        name: m.name,
        address: m.addresses[0] ?? m.name,
        port: 11111,
        agentFingerprint: null,
      })),
      status: this.status,
    };
  }

  /** Replaces the status (a function of the old one) and pushes it on every link. */
  update(change: (status: ClusterStatus) => ClusterStatus): void {
    this.status = change(this.status);
    this.emit({ kind: 'snapshot', snapshot: this.snapshot() });
  }

  setLinkState(state: ClusterLinkState, since: number): void {
    this.linkState = { state, since };
    this.emit({ kind: 'state', state });
  }

  /** The host went dark: offline, quorum recounted, its services recovering (waiting for a fence). */
  powerOff(node: string): void {
    this.update((status) => {
      const members = status.members.map((m) =>
        m.name === node ? { ...m, online: false, rgmanager: false, joinedMs: null } : m,
      );
      const totalVotes = members.filter((m) => m.online).reduce((sum, m) => sum + m.votes, 0);
      const services = status.services.map((s) =>
        s.owner === node ? { ...s, state: 'recovering' as const, owner: null, lastOwner: node } : s,
      );
      const leader = status.quorum.leader === node ? firstOnline(members) : status.quorum.leader;
      const quorate = totalVotes >= status.quorum.quorum;
      return {
        ...status,
        members,
        services,
        quorum: { ...status.quorum, totalVotes, quorate, leader },
      };
    });
  }

  /** The fence succeeded and the services of the lost node started on `target`. */
  recover(lostNode: string, target: string): void {
    this.update((status) => ({
      ...status,
      services: status.services.map((s) =>
        s.state === 'recovering' && s.lastOwner === lostNode
          ? { ...s, state: 'started' as const, owner: target }
          : s,
      ),
    }));
  }

  links(): ClusterLinkFactory {
    return { available: true, connect: async () => this.link(), reconnect: () => this.link() };
  }

  link(): ClusterLink {
    return {
      state: () => this.linkState,
      snapshot: () => this.snapshot(),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      request: async (action) => {
        this.actions.push(action);
        return this.answer(action);
      },
      requestAt: async (node, action) => {
        this.actions.push(action);
        this.actionsAt.push({ node, action });
        if (!this.status.members.find((m) => m.name === node)?.online) {
          throw new Error(`${node}: no agent answers`);
        }
        return this.answer(action, node);
      },
      // The fake has no cluster.conf and no agents to describe: the config editor needs real ones.
      config: async () => null,
      metadata: async () => ({
        node: 'node1',
        agentVersion: '0.0.0',
        hostname: 'fake',
        startedMs: 0,
        resourceAgents: [],
        failures: [],
      }),
      logs: async (node, limit) => {
        const member = this.status.members.find((m) => m.name === node);
        if (!member?.online) throw new Error(`${node}: no agent answers`);
        return (this.logLines.get(node) ?? []).slice(-limit);
      },
      close: () => undefined,
    };
  }

  private emit(change: ClusterLinkChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  private simulate(action: ControlAction, node?: string): ControlResult {
    if (action.type === 'fence-ack') {
      return { type: 'fence-ack', ok: true, message: `Fencing of ${action.node} acknowledged` };
    }
    if (action.type === 'node') return this.nodeRequest(action.request, node);
    if (action.type !== 'rm') return { type: 'node', ok: false, message: 'not simulated' };
    const request = action.request;
    if (!('service' in request)) {
      if (request.kind !== 'query-lock') {
        const locked = request.kind === 'lock';
        this.update((s) => ({ ...s, resourceManager: { ...s.resourceManager, locked } }));
      }
      return { ...rm(0, 'Success', null), locked: this.status.resourceManager.locked };
    }
    const service = this.status.services.find((s) => s.id === request.service);
    if (!service) return rm(-4, 'Service does not exist', null);
    const target = 'target' in request ? request.target : undefined;
    return this.serviceRequest(request.kind, service, target);
  }

  /**
   * cman_tool leave on `node` (its services move to the first other member, its peers report
   * it left, then it is offline) and fence_node (the node powered off, its services recovered
   * on the first other member). Other node requests are not simulated.
   */
  private nodeRequest(request: NodeRequest, node: string | undefined): ControlResult {
    if (request.kind === 'leave' && node !== undefined) {
      const heir = this.status.members.find((m) => m.online && m.name !== node)?.name ?? null;
      this.update((s) => ({
        ...s,
        services: s.services.map((x) => (x.owner === node ? { ...x, owner: heir } : x)),
      }));
      const reporter = heir ?? node;
      const left = [node];
      const members = this.status.members.filter((m) => m.online && m.name !== node);
      this.emit({
        kind: 'event',
        event: {
          kind: 'membership',
          node: reporter,
          atMs: 0,
          members: members.map((m) => m.name),
          joined: [],
          lost: left,
          left,
          restarted: [],
        },
        fenceLevel: null,
      });
      this.powerOff(node);
      return { type: 'node', ok: true, message: 'leaving the cluster' };
    }
    if (request.kind === 'fence') {
      const heir = this.status.members.find((m) => m.online && m.name !== request.node);
      this.powerOff(request.node);
      if (heir) this.recover(request.node, heir.name);
      return { type: 'node', ok: true, message: `fence of ${request.node} succeeded` };
    }
    return { type: 'node', ok: false, message: `cman_tool ${request.kind}: not simulated` };
  }

  private serviceRequest(kind: string, service: ServiceStatus, target: string | undefined) {
    const moves = ['enable', 'relocate', 'migrate'].includes(kind);
    if (moves && this.status.resourceManager.locked) {
      return {
        ...rm(-1, 'Failure', service.owner),
        detail: 'resource groups are locked (clusvcadm -u unlocks them)',
      };
    }
    if (service.frozen && kind !== 'unfreeze') return rm(-11, 'Failure: Service is frozen', null);
    const next = moves ? this.placement(service, target) : null;
    if (moves && !next) return rm(-12, 'Target node dead / nonexistent', service.owner);
    const changed: Record<string, Partial<ServiceStatus>> = {
      enable: { state: 'started', owner: next },
      relocate: { state: 'started', owner: next, lastOwner: service.owner },
      migrate: { state: 'started', owner: next, lastOwner: service.owner },
      disable: { state: 'disabled', owner: null, lastOwner: service.owner },
      stop: { state: 'stopped', owner: null, lastOwner: service.owner },
      restart: { restarts: service.restarts + 1 },
      freeze: { frozen: true },
      unfreeze: { frozen: false },
      convalesce: { partial: false },
    };
    this.update((s) => ({
      ...s,
      services: s.services.map((x) => (x.id === service.id ? { ...x, ...changed[kind] } : x)),
    }));
    return rm(0, 'Success', moves ? next : service.owner);
  }

  /** The target if it is an online member; without one, the first online member but the owner. */
  private placement(service: ServiceStatus, target: string | undefined): string | null {
    const online = this.status.members.filter((m) => m.online).map((m) => m.name);
    if (target !== undefined) return online.includes(target) ? target : null;
    return online.find((name) => name !== service.owner) ?? service.owner;
  }
}

function rm(code: number, message: string, owner: string | null): RmResult {
  return { type: 'rm', code, message, owner };
}

function firstOnline(members: readonly MemberStatus[]): string | null {
  return members.find((m) => m.online)?.name ?? null;
}

/**
 * A healthy cluster as ricci reports it: every node a one-vote member, `service:webservice` on
 * node2 by default, node1 the leader, seen from node1.
 */
export function threeNodeStatus(options: FakeClusterOptions = {}): ClusterStatus {
  const names = options.nodes ?? ['node1', 'node2', 'node3'];
  const subnet = options.subnet ?? '192.0.2';
  const services = options.services ?? { 'service:webservice': 'node2' };
  const members: MemberStatus[] = names.map((name, i) => ({
    name,
    nodeId: i + 1,
    votes: 1,
    online: true,
    local: i === 0,
    estranged: false,
    rgmanager: true,
    incarnation: 1,
    joinedMs: Date.UTC(2026, 10, 27, 7, 0, 0),
    addresses: [`${subnet}.${i + 1}`],
  }));
  return {
    cluster: {
      name: options.clusterName ?? 'webcluster',
      id: 4242,
      generation: 3,
      configVersion: 3,
      agentVersion: '1.0.0',
      twoNode: false,
    },
    quorum: {
      quorate: true,
      totalVotes: names.length,
      expectedVotes: names.length,
      quorum: Math.floor(names.length / 2) + 1,
      leader: names[0] ?? null,
    },
    local: {
      name: names[0] ?? 'node1',
      nodeId: 1,
      votes: 1,
      membership: 'member',
      addresses: [`${subnet}.1`],
    },
    members,
    resourceManager: { running: true, locked: false },
    services: Object.entries(services).map(([id, owner]) => ({
      id,
      state: 'started',
      owner,
      lastOwner: null,
      frozen: false,
      partial: false,
      restarts: 0,
      lastTransitionMs: Date.UTC(2026, 10, 27, 7, 0, 1),
    })),
  };
}
