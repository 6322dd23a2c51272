import type {
  AgentInfo,
  AgentLogLine,
  ClusterLinkState,
  ClusterStatus,
  CommittedConfig,
  ConsoleAuth,
  ConsoleEvent,
  ConsoleWelcome,
  ControlAction,
  ControlResult,
} from '@quorate/protocol';
import { ConsoleError } from '../errors/console-error.js';
import {
  AgentRefusal,
  AgentSession,
  type ClientIdentity,
  type SessionSettings,
} from './agent-session.js';
import type {
  ClusterLink,
  ClusterLinkChange,
  ClusterLinkFactory,
  ClusterLinkTarget,
  ClusterSnapshot,
  DiscoveredNode,
} from './cluster-link.js';
import { consoleErrorOf } from './console-error-of.js';
import { type FenceConfig, fenceConfigOf, fenceLevelOf } from './fence-events.js';

export type LinkLog = (
  level: 'info' | 'warn',
  message: string,
  fields: Record<string, unknown>,
) => void;

export interface AgentClusterLinksOptions {
  /** The console's client certificate (`loadAgentClientIdentity`), which agents pin. */
  readonly identity: ClientIdentity;
  readonly log?: LinkLog;
  /** Delays between rounds of attempts double from the first to the last. */
  readonly reconnectMs?: { readonly first: number; readonly last: number };
  /** One attempt (TLS, hello, welcome, first status) may take this long. */
  readonly attemptTimeoutMs?: number;
  /** The link pings its agent this often and counts it gone after two missed pongs. */
  readonly heartbeatMs?: number;
  /** An action with no result after this long is rejected (the agent gives up at 120 s). */
  readonly taskTimeoutMs?: number;
  readonly now?: () => number;
}

interface Settings extends SessionSettings {
  readonly log: LinkLog;
  readonly reconnectMs: { readonly first: number; readonly last: number };
  readonly taskTimeoutMs: number;
  readonly now: () => number;
}

/**
 * luci's production `ClusterLinkFactory`: links over the agents' console API (DESIGN.md §3).
 * `connect` authenticates with the agent password to the node the administrator named, which
 * has the cluster trust this console's certificate (replicated state): every node then accepts
 * the certificate alone. Only when that agent says the cluster could not record it (no quorum,
 * an older agent) does the console say hello with the password to every other node, so that
 * each pins it. Every agent's certificate fingerprint is pinned on first sight, or from a
 * fingerprint a pinned agent vouched for, and a changed one is refused.
 */
export class AgentClusterLinks implements ClusterLinkFactory {
  readonly available = true;
  private readonly settings: Settings;

  constructor(options: AgentClusterLinksOptions) {
    this.settings = {
      identity: options.identity,
      log: options.log ?? (() => {}),
      reconnectMs: options.reconnectMs ?? { first: 250, last: 5000 },
      attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
      heartbeatMs: options.heartbeatMs ?? 1000,
      taskTimeoutMs: options.taskTimeoutMs ?? 150_000,
      now: options.now ?? Date.now,
    };
  }

  async connect(target: ClusterLinkTarget): Promise<ClusterLink> {
    const auth: ConsoleAuth = { kind: 'password', password: target.agentPassword };
    const first = await AgentSession.open(
      { address: target.address, port: target.port, pinned: null },
      auth,
      this.settings,
    ).catch((error: unknown) => {
      throw consoleErrorOf(error);
    });
    const link = new AgentClusterLink(this.settings, [], target.agentPassword);
    link.learn(first.welcome, {
      name: first.welcome.node,
      address: target.address,
      port: target.port,
      agentFingerprint: first.fingerprint,
    });
    if (first.welcome.consoleTrust === 'cluster') {
      this.settings.log('info', 'cluster link: the cluster trusts this console', {
        node: first.welcome.node,
      });
    } else await link.introduceToOthers(first.welcome.node);
    try {
      await link.adopt(first);
    } catch (error) {
      link.close();
      throw consoleErrorOf(error);
    }
    return link;
  }

  reconnect(nodes: readonly DiscoveredNode[]): ClusterLink {
    const link = new AgentClusterLink(this.settings, nodes, null);
    link.start();
    return link;
  }
}

interface LeaderEvents {
  readonly node: string;
  session: AgentSession | null;
  opening: boolean;
  readonly triedAtMs: number;
}

/**
 * One cluster's link: one subscribed session to one agent at a time. When it ends, the link
 * tries the nodes in turn (the next one first); a round in which none answers makes the link
 * `lost` and the next round waits, doubling up to `reconnectMs.last`.
 */
class AgentClusterLink implements ClusterLink {
  private nodes: DiscoveredNode[];
  private session: AgentSession | null = null;
  private current: { state: ClusterLinkState; since: number };
  private latest: ClusterSnapshot | null = null;
  private clusterName: string | null = null;
  private readonly listeners = new Set<(change: ClusterLinkChange) => void>();
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private nextNode = 0;
  private failedInRound = 0;
  private delayMs: number;
  /** The committed cluster.conf, read once per version, to place fence attempts in levels. */
  private fenceConfig: FenceConfig | null = null;
  private fenceConfigReading = false;
  /** Reads of cluster.conf and fence events, in turn: an event waits for a read in flight. */
  private fenceQueue: Promise<void> = Promise.resolve();
  /** A second subscription, to the leader, while the link's agent is a follower. */
  private leaderEvents: LeaderEvents | null = null;

  constructor(
    private readonly settings: Settings,
    nodes: readonly DiscoveredNode[],
    /** From `connect` only: introduces the console anew to a node that lags behind its trust. */
    private password: string | null,
  ) {
    this.nodes = [...nodes];
    this.current = { state: 'connecting', since: settings.now() };
    this.delayMs = settings.reconnectMs.first;
  }

  state() {
    return this.current;
  }

  snapshot(): ClusterSnapshot | null {
    return this.latest;
  }

  subscribe(listener: (change: ClusterLinkChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request(action: ControlAction): Promise<ControlResult> {
    const session = this.session;
    if (!session || this.current.state !== 'connected') {
      throw new ConsoleError(
        'CONSOLE_LINK_UNAVAILABLE',
        'no agent of this cluster is reachable now',
      );
    }
    const result = await this.within(session, action);
    const leader = this.latest?.status.quorum.leader ?? null;
    const refusedHere =
      result.type === 'config-update' && !result.accepted && result.rule === 'not-leader';
    const leaderNode = this.nodes.find((node) => node.name === leader);
    if (!refusedHere || !leaderNode || leader === session.welcome.node) return result;
    // Only the leader takes a new cluster.conf (as with ccs_tool): ask it directly.
    const direct = await this.authenticate(leaderNode);
    try {
      return await this.within(direct, action);
    } finally {
      direct.close();
    }
  }

  async config(): Promise<CommittedConfig | null> {
    const reply = await this.connectedSession().call({ type: 'config' });
    if (reply.type !== 'config') throw new Error(`the agent answered config with ${reply.type}`);
    return reply.config;
  }

  async metadata(): Promise<AgentInfo> {
    const reply = await this.connectedSession().call({ type: 'metadata' });
    if (reply.type !== 'metadata')
      throw new Error(`the agent answered metadata with ${reply.type}`);
    return reply.metadata;
  }

  async requestAt(node: string, action: ControlAction): Promise<ControlResult> {
    return this.atNode(node, (session) => this.within(session, action));
  }

  async logs(node: string, limit: number): Promise<readonly AgentLogLine[]> {
    return this.atNode(node, async (session) => {
      const reply = await session.call({ type: 'logs', limit });
      if (reply.type !== 'logs') throw new Error(`the agent answered logs with ${reply.type}`);
      return reply.lines;
    });
  }

  /** Runs `use` with `node`'s own agent: the linked session, else a short one of its own. */
  private async atNode<T>(node: string, use: (session: AgentSession) => Promise<T>): Promise<T> {
    const target = this.nodes.find((known) => known.name === node);
    if (!target) throw new ConsoleError('CONSOLE_NOT_FOUND', `no node named "${node}"`);
    const current = this.current.state === 'connected' ? this.session : null;
    const session = current?.welcome.node === node ? current : await this.authenticate(target);
    try {
      return await use(session);
    } finally {
      if (session !== current) session.close();
    }
  }

  async revokeTrust(): Promise<boolean> {
    // The revocation ends this console's connections on every node: the link must not win the
    // trust back with the password while it reconnects before it is closed.
    this.password = null;
    const session = this.current.state === 'connected' ? this.session : null;
    if (!session) {
      this.settings.log('warn', 'cluster link: could not revoke the console: no agent reachable', {
        cluster: this.clusterName,
      });
      return false;
    }
    try {
      const reply = await session.call({ type: 'revoke-console' });
      if (reply.type !== 'console-revoked')
        throw new Error(`the agent answered revoke-console with ${reply.type}`);
      this.settings.log(reply.cluster ? 'info' : 'warn', 'cluster link: revoked the console', {
        node: session.welcome.node,
        cluster: reply.cluster,
        detail: reply.message,
      });
      return reply.cluster;
    } catch (error) {
      this.settings.log('warn', 'cluster link: could not revoke the console', {
        node: session.welcome.node,
        detail: (error as Error).message,
      });
      return false;
    }
  }

  private connectedSession(): AgentSession {
    if (!this.session || this.current.state !== 'connected') {
      throw new ConsoleError(
        'CONSOLE_LINK_UNAVAILABLE',
        'no agent of this cluster is reachable now',
      );
    }
    return this.session;
  }

  /** The action's result from `session`, or a rejection after `taskTimeoutMs`. */
  private within(session: AgentSession, action: ControlAction): Promise<ControlResult> {
    return new Promise<ControlResult>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no result from ${session.welcome.node} within ${this.settings.taskTimeoutMs} ms`,
            ),
          ),
        this.settings.taskTimeoutMs,
      );
      session.action(action).then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.session?.close();
    this.session = null;
    this.leaderEvents?.session?.close();
    this.leaderEvents = null;
    this.listeners.clear();
  }

  start(): void {
    if (this.nodes.length === 0) {
      this.settings.log('warn', 'cluster link: no nodes to reach', {});
      this.setState('lost');
      return;
    }
    void this.attempt();
  }

  /**
   * Takes in what an agent's welcome says: the cluster's name and its nodes, with the
   * fingerprints that agent saw on its verified peer links. A fingerprint already pinned wins.
   */
  learn(welcome: ConsoleWelcome, dialed: DiscoveredNode): void {
    this.clusterName = welcome.cluster;
    const known = new Map(this.nodes.map((node) => [node.name, node]));
    known.set(dialed.name, {
      ...(known.get(dialed.name) ?? dialed),
      agentFingerprint: dialed.agentFingerprint,
    });
    this.nodes = welcome.nodes.map((listed) => {
      const mine = known.get(listed.name);
      if (
        mine?.agentFingerprint &&
        listed.agentFingerprint &&
        mine.agentFingerprint !== listed.agentFingerprint
      ) {
        this.settings.log(
          'warn',
          'cluster link: an agent vouches for another fingerprint than the pinned one',
          {
            node: listed.name,
            pinned: mine.agentFingerprint,
            vouched: listed.agentFingerprint,
          },
        );
      }
      return {
        name: listed.name,
        address: mine?.address ?? listed.address,
        port: mine?.port ?? listed.port,
        agentFingerprint: mine?.agentFingerprint ?? listed.agentFingerprint,
      };
    });
    if (!this.nodes.some((node) => node.name === dialed.name))
      this.nodes.unshift(known.get(dialed.name)!);
    if (this.latest) this.publish(this.latest.status);
  }

  /** With the password, says hello to every other node so each pins this console too. */
  async introduceToOthers(except: string): Promise<void> {
    if (this.password === null) return;
    await Promise.all(
      this.nodes.filter((node) => node.name !== except).map((node) => this.introduce(node)),
    );
  }

  /** Subscribes on an authenticated session and resolves once its first status arrived. */
  async adopt(session: AgentSession): Promise<void> {
    let adopted = false;
    const firstStatus = new Promise<ClusterStatus>((resolve, reject) => {
      session.onPush = (push) => {
        if (push.kind === 'event') {
          if (adopted) this.agentEvent(push.event);
        } else if (adopted) this.publish(push.status);
        else resolve(push.status);
      };
      session.onClose((reason) =>
        reject(new AgentRefusal('CONSOLE_API_UNREACHABLE', `the link ${reason} before any status`)),
      );
    });
    // Whichever fails first is thrown below; the other must not go unhandled.
    firstStatus.catch(() => {});
    let status: ClusterStatus;
    try {
      await session.call({ type: 'subscribe' });
      status = await firstStatus;
    } catch (error) {
      session.close();
      throw error;
    }
    if (this.closed) return session.close();
    adopted = true;
    this.session = session;
    session.onClose((reason) => this.lostSession(session, reason));
    this.setState('connected');
    this.publish(status);
    this.failedInRound = 0;
    this.delayMs = this.settings.reconnectMs.first;
    this.settings.log('info', 'cluster link: connected', {
      cluster: this.clusterName,
      node: session.welcome.node,
    });
  }

  private async introduce(node: DiscoveredNode): Promise<void> {
    try {
      const session = await this.open(node, { kind: 'password', password: this.password! });
      session.close();
    } catch (error) {
      this.settings.log('warn', 'cluster link: could not introduce the console to a node', {
        node: node.name,
        detail: (error as Error).message,
      });
    }
  }

  /** Opens a session to `node`, pinning its fingerprint on first sight. */
  private async open(node: DiscoveredNode, auth: ConsoleAuth): Promise<AgentSession> {
    const target = { address: node.address, port: node.port, pinned: node.agentFingerprint };
    const session = await AgentSession.open(target, auth, this.settings);
    if (node.agentFingerprint === null) this.pin(node.name, session.fingerprint);
    return session;
  }

  private pin(name: string, fingerprint: string): void {
    this.nodes = this.nodes.map((node) =>
      node.name === name ? { ...node, agentFingerprint: fingerprint } : node,
    );
    this.settings.log('info', 'cluster link: pinned an agent certificate', {
      node: name,
      fingerprint,
    });
    if (this.latest) this.publish(this.latest.status);
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    const node = this.nodes[this.nextNode % this.nodes.length]!;
    this.nextNode++;
    try {
      const session = await this.authenticate(node);
      if (this.closed) return session.close();
      this.learn(session.welcome, { ...node, agentFingerprint: session.fingerprint });
      await this.adopt(session);
    } catch (error) {
      this.settings.log('warn', 'cluster link: attempt failed', {
        node: node.name,
        detail: (error as Error).message,
      });
      if (this.closed) return;
      this.failedInRound++;
      if (this.failedInRound < this.nodes.length) return void this.attempt();
      this.failedInRound = 0;
      this.setState('lost');
      this.retryLater();
    }
  }

  /** The pinned certificate first; the password (kept from `connect`) if the node lost the pin. */
  private async authenticate(node: DiscoveredNode): Promise<AgentSession> {
    try {
      return await this.open(node, { kind: 'certificate' });
    } catch (error) {
      const unpinned =
        error instanceof AgentRefusal && error.code === 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED';
      if (!unpinned || this.password === null) throw error;
      return this.open(node, { kind: 'password', password: this.password });
    }
  }

  private lostSession(session: AgentSession, reason: string): void {
    if (this.session !== session || this.closed) return;
    this.session = null;
    // The node just lost is tried last.
    const lost = this.nodes.findIndex((node) => node.name === session.welcome.node);
    this.nextNode = lost + 1;
    this.settings.log('warn', 'cluster link: lost its agent', {
      node: session.welcome.node,
      reason,
    });
    // Straight to the other nodes: failing over to another agent is not a lost link.
    this.setState('connecting');
    void this.attempt();
  }

  private retryLater(): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.settings.reconnectMs.last);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, delay);
  }

  private publish(status: ClusterStatus): void {
    this.latest = {
      clusterName: this.clusterName ?? status.cluster.name,
      configVersion: status.cluster.configVersion,
      nodes: this.nodes,
      status,
    };
    this.emit({ kind: 'snapshot', snapshot: this.latest });
    this.readFenceConfig(status.cluster.configVersion);
    this.followLeader(status.quorum.leader);
  }

  private agentEvent(event: ConsoleEvent): void {
    if (event.kind !== 'fence') {
      this.emit({ kind: 'event', event, fenceLevel: null });
      return;
    }
    this.fenceQueue = this.fenceQueue.then(() => {
      const fenceLevel = fenceLevelOf(this.fenceConfig, event.victim, event.method);
      this.emit({ kind: 'event', event, fenceLevel });
    });
  }

  private readFenceConfig(version: number): void {
    if (version === 0 || this.fenceConfig?.version === version || this.fenceConfigReading) return;
    this.fenceConfigReading = true;
    const read = async () => {
      try {
        const config = await this.config();
        if (config) this.fenceConfig = fenceConfigOf(config.version, config.text);
      } catch (error) {
        this.settings.log('warn', 'cluster link: could not read cluster.conf for fence levels', {
          detail: (error as Error).message,
        });
      } finally {
        this.fenceConfigReading = false;
      }
    };
    this.fenceQueue = this.fenceQueue.then(read);
  }

  /**
   * Only the leader fences, and an agent pushes only its own transitions: while the link's agent
   * is a follower, the link also subscribes to the leader and takes its fence events. An attempt
   * that fails is tried again with a later status, at most once a second.
   */
  private followLeader(leader: string | null): void {
    const own = this.session?.welcome.node ?? null;
    const wanted = leader !== null && leader !== own && !this.closed ? leader : null;
    const current = this.leaderEvents;
    if (current && current.node === wanted && (current.session || current.opening)) return;
    if (current && current.node !== wanted) {
      current.session?.close();
      this.leaderEvents = null;
    }
    const node = this.nodes.find((candidate) => candidate.name === wanted);
    if (!node) return;
    const now = this.settings.now();
    if (current?.node === wanted && now - current.triedAtMs < 1000) return;
    const entry: LeaderEvents = { node: node.name, session: null, opening: true, triedAtMs: now };
    this.leaderEvents = entry;
    void this.subscribeToLeader(node, entry);
  }

  private async subscribeToLeader(node: DiscoveredNode, entry: LeaderEvents): Promise<void> {
    try {
      const session = await this.authenticate(node);
      if (this.leaderEvents !== entry) return session.close();
      session.onPush = (push) => {
        if (push.kind === 'event' && push.event.kind === 'fence') this.agentEvent(push.event);
      };
      session.onClose(() => {
        if (entry.session === session) entry.session = null;
      });
      await session.call({ type: 'subscribe' });
      entry.session = session;
      this.settings.log('info', "cluster link: following the leader's fence events", {
        node: node.name,
      });
    } catch (error) {
      this.settings.log('warn', "cluster link: could not follow the leader's events", {
        node: node.name,
        detail: (error as Error).message,
      });
    } finally {
      entry.opening = false;
    }
  }

  private setState(state: ClusterLinkState): void {
    if (this.current.state === state) return;
    this.current = { state, since: this.settings.now() };
    this.emit({ kind: 'state', state });
  }

  private emit(change: ClusterLinkChange): void {
    if (this.closed) return;
    for (const listener of this.listeners) listener(change);
  }
}
