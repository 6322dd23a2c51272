import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { ControllerEvent, ObserverEvent } from '@quorate/core';
import {
  type AgentInfo,
  agentInfoSchema,
  CONSOLE_API_PATH,
  CONSOLE_API_VERSIONS,
  type ConsoleApiErrorCode,
  type ConsoleHello,
  type ConsoleMessage,
  type ConsoleRequest,
  clusterStatusSchema,
  committedConfigSchema,
  controlResultSchema,
  DEFAULT_MAX_CONSOLE_FRAME_BYTES,
  decodeConsoleRequest,
  encodeConsoleFrame,
  negotiateConsoleVersion,
} from '@quorate/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ControlProvider } from '../control/control-provider.js';
import { checked } from '../control/control-server.js';
import type { ConsoleMount, TransportLog } from '../transport/transport-types.js';
import type { AuthLimiter } from './auth-limiter.js';
import type { ClusterConsoleTrust } from './cluster-trust.js';
import { consoleEventOf } from './console-events.js';
import { ConsoleTrustGate, type ConsoleTrustLevel } from './console-trust-gate.js';
import type { LogRing } from './log-ring.js';
import { PasswordProof } from './password-proof.js';

/** A node and where its agent listens, as the welcome lists them. */
export interface AgentAddress {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

export interface ConsoleApiOptions {
  readonly nodeName: string;
  readonly agentVersion: string;
  /** Holds `console/agent-password` and `console/trusted-consoles.json`. */
  readonly stateDir: string;
  /** What the control socket serves: status, the committed config, actions. */
  readonly provider: ControlProvider;
  /** Every node of the cluster, this one included. */
  readonly nodes: () => readonly AgentAddress[];
  /** This agent's TLS certificate (PEM): the fingerprint consoles pin. */
  readonly agentCertPem: string;
  /** The resource agents' meta-data, read on the first request that needs it. */
  readonly discoverAgents: () => Promise<Pick<AgentInfo, 'resourceAgents' | 'failures'>>;
  readonly hostname: string;
  readonly logs: LogRing;
  readonly log: TransportLog;
  /** Status pushes are coalesced to at most one per tick. */
  readonly tickMs: number;
  readonly now?: () => number;
  readonly limiter?: AuthLimiter;
  readonly maxFrameBytes?: number;
  /** A connection that has not authenticated by then is closed. */
  readonly helloTimeoutMs?: number;
  /** The cluster's trusted consoles; absent, the agent keeps only its own pins (a bare node). */
  readonly clusterTrust?: ClusterConsoleTrust;
  /** How long a password hello waits for the cluster to commit the trust (default 3 s). */
  readonly trustWaitMs?: number;
}

/**
 * As for peers, a frame over the limit is refused with a typed error, and one this much over it
 * is not even buffered (WebSocket 1009): what a console may make an agent hold stays bounded.
 */
const HARD_CAP_FACTOR = 2;
/** Connections still without a welcome: more are closed at once (1013, try again later). */
const MAX_UNAUTHENTICATED = 16;
const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** WebSocket close code for a refused hello (policy violation). */
const CLOSE_REFUSED = 1008;
/** WebSocket close code of a stopping agent, and how long a console has to answer it. */
const CLOSE_GOING_AWAY = 1001;
const CLOSE_GRACE_MS = 1000;

interface Session {
  readonly ws: WebSocket;
  readonly remote: string;
  /** SHA-256 of the client certificate, null when the console presented none. */
  readonly fingerprint: string | null;
  version: number | null;
  helloSeen: boolean;
  /** Settles once the hello is answered: frames sent right behind it wait for it. */
  helloDone: Promise<void>;
  subscribed: boolean;
  /** A revoke-console it sent is waiting for the cluster: it ends on its own once answered. */
  revoking: boolean;
  readonly helloTimer: NodeJS.Timeout;
}

/**
 * The console API on the agent (DESIGN.md §3, "Console↔agent"), mounted on the peer server's
 * HTTPS port at `CONSOLE_API_PATH`. A console authenticates once with the agent password,
 * after which its client certificate is pinned and later hellos need none. Wrong passwords
 * are rate limited per remote address and logged without the password. Requests are answered
 * from the same `ControlProvider` the control socket serves.
 */
export class ConsoleApi implements ConsoleMount {
  readonly path = CONSOLE_API_PATH;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly trust: ConsoleTrustGate;
  private readonly passwords: PasswordProof;
  private readonly peerFingerprints = new Map<string, string>();
  private readonly agentFingerprint: string;
  private readonly startedMs: number;
  private readonly now: () => number;
  private readonly maxFrameBytes: number;
  private metadata: Promise<AgentInfo> | null = null;
  private nextTask = 0;
  private statusTimer: NodeJS.Timeout | null = null;
  private lastPushed: string | null = null;
  /** When (monotonic ms) the status was last checked for a push. */
  private lastPushCheck = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly options: ConsoleApiOptions) {
    this.now = options.now ?? Date.now;
    this.startedMs = this.now();
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_CONSOLE_FRAME_BYTES;
    this.trust = new ConsoleTrustGate({
      stateDir: options.stateDir,
      log: options.log,
      ...(options.clusterTrust ? { cluster: options.clusterTrust } : {}),
      ...(options.trustWaitMs === undefined ? {} : { trustWaitMs: options.trustWaitMs }),
    });
    this.passwords = new PasswordProof({
      nodeName: options.nodeName,
      stateDir: options.stateDir,
      log: options.log,
      now: this.now,
      ...(options.limiter ? { limiter: options.limiter } : {}),
    });
    this.agentFingerprint = new X509Certificate(options.agentCertPem).fingerprint256;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.maxFrameBytes * HARD_CAP_FACTOR,
    });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A stopping agent takes no new consoles: they find another node at once.
    if (this.closed) {
      socket.destroy();
      return;
    }
    const tls = request.socket as TLSSocket;
    const fingerprint = tls.getPeerCertificate?.()?.fingerprint256 ?? null;
    const remote = tls.remoteAddress ?? 'unknown';
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, remote, fingerprint));
  }

  peerCertificateSeen(peer: string, fingerprint: string): void {
    this.peerFingerprints.set(peer, fingerprint);
  }

  /** Every core event passes here: transitions are pushed at once, the status within a tick. */
  coreEvent(event: ObserverEvent | ControllerEvent): void {
    this.trust.coreEvent(event);
    if (event.type === 'console-trust-changed' && !event.trusted)
      this.endRevoked(event.fingerprint);
    const consoleEvent = consoleEventOf(event, { node: this.options.nodeName, atMs: this.now() });
    if (consoleEvent !== null) {
      for (const session of this.subscribers()) {
        this.send(session, {
          version: this.versionOf(session),
          type: 'event',
          event: consoleEvent,
        });
      }
    }
    this.statusChanged();
  }

  /**
   * The status may have changed: push it to subscribers if it did, as soon as the work in hand
   * is done, but never twice within one tick (the changes between are pushed together).
   */
  statusChanged(): void {
    if (this.statusTimer !== null) return;
    const waitMs = Math.max(0, this.lastPushCheck + this.options.tickMs - performance.now());
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.lastPushCheck = performance.now();
      void this.pushStatus();
    }, waitMs);
  }

  close(): void {
    this.closed = true;
    this.trust.close();
    if (this.statusTimer !== null) clearTimeout(this.statusTimer);
    this.statusTimer = null;
    for (const session of this.sessions) {
      clearTimeout(session.helloTimer);
      // A close, not a cut: frames already sent (the answer to the cman_tool leave that stops
      // this agent) reach the console first; one that does not answer the close is cut later.
      session.ws.close(CLOSE_GOING_AWAY, 'the agent is stopping');
      setTimeout(() => session.ws.terminate(), CLOSE_GRACE_MS).unref();
    }
    this.sessions.clear();
    this.wss.close();
  }

  private serve(ws: WebSocket, remote: string, fingerprint: string | null): void {
    const waiting = [...this.sessions].filter((session) => session.version === null).length;
    if (waiting >= MAX_UNAUTHENTICATED) {
      this.options.log('warn', 'console-refused', {
        remote,
        fingerprint,
        reason: `${waiting} connections await their hello`,
      });
      ws.close(1013, 'too many connections without a hello');
      return;
    }
    const helloTimeoutMs = this.options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
    const session: Session = {
      ws,
      remote,
      fingerprint,
      version: null,
      helloSeen: false,
      helloDone: Promise.resolve(),
      subscribed: false,
      revoking: false,
      helloTimer: setTimeout(() => {
        if (session.version === null)
          this.refuse(
            session,
            null,
            'CONSOLE_API_NOT_AUTHENTICATED',
            `no hello within ${helloTimeoutMs} ms`,
          );
      }, helloTimeoutMs),
    };
    this.sessions.add(session);
    this.options.log('info', 'console-connected', { remote, fingerprint });
    ws.on('message', (data, isBinary) => void this.receive(session, data as Buffer, isBinary));
    ws.on('error', (error) =>
      this.options.log('warn', 'console-link-error', { remote, detail: error.message }),
    );
    ws.on('close', (code) => {
      clearTimeout(session.helloTimer);
      this.sessions.delete(session);
      this.options.log('info', 'console-closed', { remote, fingerprint, code });
    });
  }

  private async receive(session: Session, data: Buffer, isBinary: boolean): Promise<void> {
    const decoded = isBinary
      ? ({
          ok: false,
          id: null,
          error: { code: 'CONSOLE_API_FRAME_NOT_JSON', message: '/: a binary frame' },
        } as const)
      : decodeConsoleRequest(data.toString('utf8'), this.maxFrameBytes);
    if (!decoded.ok) {
      const { code, message } = decoded.error;
      this.options.log('warn', 'console-frame-refused', {
        remote: session.remote,
        code,
        detail: message,
      });
      // Before a welcome nothing is worth keeping the connection for.
      if (session.version === null) this.refuse(session, decoded.id, code, message);
      else this.sendError(session, decoded.id, code, message);
      return;
    }
    const frame = decoded.frame;
    if (frame.type === 'hello') {
      session.helloDone = this.hello(session, frame).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log('error', 'console-hello-failed', {
          remote: session.remote,
          detail: message,
        });
        this.refuse(session, null, 'CONSOLE_API_REQUEST_FAILED', message);
      });
      return session.helloDone;
    }
    await session.helloDone;
    if (session.version === null) {
      return this.refuse(
        session,
        frame.id,
        'CONSOLE_API_NOT_AUTHENTICATED',
        `/type: ${frame.type} before a successful hello`,
      );
    }
    try {
      await this.answer(session, frame);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log('error', 'console-request-failed', {
        remote: session.remote,
        request: frame.type,
        detail: message,
      });
      this.sendError(session, frame.id, 'CONSOLE_API_REQUEST_FAILED', message);
    }
  }

  private async hello(session: Session, hello: ConsoleHello): Promise<void> {
    if (session.helloSeen) {
      this.sendError(
        session,
        null,
        'CONSOLE_API_FRAME_INVALID',
        '/type: hello was already sent on this connection',
      );
      return;
    }
    session.helloSeen = true;
    const { remote, fingerprint } = session;
    if (fingerprint === null) {
      return this.refuse(
        session,
        null,
        'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
        'a console must present a client certificate, which the agent pins',
      );
    }
    if (hello.auth.kind === 'certificate') {
      if (this.trust.accepts(fingerprint))
        return this.welcome(session, hello, 'certificate', this.trust.level(fingerprint));
      this.options.log('warn', 'console-auth-refused', {
        remote,
        fingerprint,
        reason: 'certificate neither trusted by the cluster nor pinned here',
      });
      return this.refuse(
        session,
        null,
        'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
        `certificate ${fingerprint} is neither trusted by the cluster nor pinned on ${this.options.nodeName}; authenticate with the agent password`,
      );
    }
    const verdict = await this.passwords.check(remote, fingerprint, hello.auth.password);
    if (!verdict.ok) {
      return this.refuse(session, null, verdict.code, verdict.message, verdict.retryAfterMs);
    }
    const level = await this.trust.passwordProven(fingerprint, remote, this.now());
    return this.welcome(session, hello, 'password', level);
  }

  private async welcome(
    session: Session,
    hello: ConsoleHello,
    auth: 'password' | 'certificate',
    consoleTrust: ConsoleTrustLevel,
  ): Promise<void> {
    const version = negotiateConsoleVersion(hello.versions) ?? Math.max(...CONSOLE_API_VERSIONS);
    const status = await this.options.provider.status();
    const nodes = this.options.nodes().map((node) => ({
      ...node,
      agentFingerprint:
        node.name === this.options.nodeName
          ? this.agentFingerprint
          : (this.peerFingerprints.get(node.name) ?? null),
    }));
    clearTimeout(session.helloTimer);
    session.version = version;
    this.options.log('info', 'console-authenticated', {
      remote: session.remote,
      fingerprint: session.fingerprint,
      auth,
      consoleTrust,
      version,
    });
    this.send(session, {
      type: 'welcome',
      version,
      node: this.options.nodeName,
      cluster: status.cluster.name,
      configVersion: status.cluster.configVersion,
      nodes,
      agentFingerprint: this.agentFingerprint,
      auth,
      consoleTrust,
    });
  }

  private async answer(
    session: Session,
    request: Exclude<ConsoleRequest, ConsoleHello>,
  ): Promise<void> {
    const reply = { version: this.versionOf(session), id: request.id };
    const { provider } = this.options;
    switch (request.type) {
      case 'status': {
        const status = checked(clusterStatusSchema, await provider.status(), 'status');
        return this.send(session, { ...reply, type: 'status', status });
      }
      case 'config': {
        const config = checked(
          committedConfigSchema.nullable(),
          await provider.clusterConf(),
          'config',
        );
        return this.send(session, { ...reply, type: 'config', config });
      }
      case 'metadata':
        return this.send(session, { ...reply, type: 'metadata', metadata: await this.agentInfo() });
      case 'logs':
        return this.send(session, {
          ...reply,
          type: 'logs',
          lines: this.options.logs.newest(request.limit),
        });
      case 'subscribe': {
        session.subscribed = true;
        this.send(session, { ...reply, type: 'subscribed' });
        const status = checked(clusterStatusSchema, await provider.status(), 'status');
        return this.send(session, { ...reply, id: null, type: 'status', status });
      }
      case 'action':
        return this.startTask(session, request);
      case 'revoke-console':
        return this.revokeConsole(session, request);
    }
  }

  /**
   * A revoked certificate's open connections end once the cluster commits the revocation, as
   * new ones are refused from then on; the connection that asked for it is answered instead.
   */
  private endRevoked(fingerprint: string): void {
    if (this.trust.accepts(fingerprint)) return;
    for (const session of this.sessions) {
      if (session.fingerprint !== fingerprint || session.version === null || session.revoking)
        continue;
      this.options.log('info', 'console-revoked-closed', { remote: session.remote, fingerprint });
      const why = `certificate ${fingerprint} was revoked by the cluster`;
      this.refuse(session, null, 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED', why);
    }
  }

  /** Revokes a console (this one by default) in the cluster and drops this node's pin. */
  private async revokeConsole(
    session: Session,
    request: Extract<ConsoleRequest, { type: 'revoke-console' }>,
  ): Promise<void> {
    // A session past its hello always has a certificate.
    const fingerprint = request.fingerprint ?? session.fingerprint!;
    session.revoking = true;
    const { cluster, message } = await this.trust.revoke(fingerprint).finally(() => {
      session.revoking = false;
    });
    this.options.log('info', 'console-revoked', {
      remote: session.remote,
      by: session.fingerprint,
      fingerprint,
      cluster,
      detail: message,
    });
    const reply = { version: this.versionOf(session), id: request.id };
    this.send(session, { ...reply, type: 'console-revoked', fingerprint, cluster, message });
  }

  /** Answers at once with a task id; the result follows in `task` frames. */
  private startTask(session: Session, request: Extract<ConsoleRequest, { type: 'action' }>): void {
    const version = this.versionOf(session);
    const taskId = `${this.options.nodeName}-${++this.nextTask}`;
    const { action } = request;
    const what = 'request' in action ? `${action.type}:${action.request.kind}` : action.type;
    this.options.log('info', 'console-action', {
      remote: session.remote,
      fingerprint: session.fingerprint,
      taskId,
      action: what,
    });
    this.send(session, { version, id: request.id, type: 'accepted', taskId });
    this.send(session, { version, type: 'task', taskId, state: 'running' });
    this.options.provider
      .request(action)
      .then((answer) => {
        const result = checked(controlResultSchema, answer, 'result');
        if (result.type !== action.type) {
          throw new Error(
            `the agent answered a ${action.type} action with a ${result.type} result`,
          );
        }
        this.send(session, { version, type: 'task', taskId, state: 'done', result });
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log('error', 'console-task-failed', { taskId, action: what, detail: message });
        this.send(session, {
          version,
          type: 'task',
          taskId,
          state: 'failed',
          code: 'CONSOLE_API_REQUEST_FAILED',
          message,
        });
      });
  }

  private agentInfo(): Promise<AgentInfo> {
    this.metadata ??= this.options.discoverAgents().then((found) =>
      checked(
        agentInfoSchema,
        {
          node: this.options.nodeName,
          agentVersion: this.options.agentVersion,
          hostname: this.options.hostname,
          startedMs: this.startedMs,
          ...found,
        },
        'metadata',
      ),
    );
    // A failed discovery is tried again by the next request.
    this.metadata.catch(() => {
      this.metadata = null;
    });
    return this.metadata;
  }

  private async pushStatus(): Promise<void> {
    const subscribers = this.subscribers();
    if (subscribers.length === 0) {
      this.lastPushed = null;
      return;
    }
    let status: ReturnType<typeof clusterStatusSchema.parse>;
    try {
      status = checked(clusterStatusSchema, await this.options.provider.status(), 'status');
    } catch (error) {
      this.options.log('error', 'console-status-failed', { detail: (error as Error).message });
      return;
    }
    const text = JSON.stringify(status);
    if (text === this.lastPushed) return;
    this.lastPushed = text;
    for (const session of subscribers) {
      this.send(session, { version: this.versionOf(session), id: null, type: 'status', status });
    }
  }

  private subscribers(): Session[] {
    return [...this.sessions].filter((session) => session.subscribed);
  }

  private versionOf(session: Session): number {
    return session.version ?? Math.max(...CONSOLE_API_VERSIONS);
  }

  private send(session: Session, frame: ConsoleMessage): void {
    if (session.ws.readyState === session.ws.OPEN) session.ws.send(encodeConsoleFrame(frame));
  }

  private sendError(
    session: Session,
    id: number | null,
    code: ConsoleApiErrorCode,
    message: string,
    retryAfterMs?: number,
  ): void {
    this.send(session, {
      version: this.versionOf(session),
      id,
      type: 'error',
      code,
      message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  /** Answers with the error, then closes: what comes before a welcome gets one chance. */
  private refuse(
    session: Session,
    id: number | null,
    code: ConsoleApiErrorCode,
    message: string,
    retryAfterMs?: number,
  ): void {
    this.sendError(session, id, code, message, retryAfterMs);
    session.ws.close(CLOSE_REFUSED, code);
  }
}
