import type { TLSSocket } from 'node:tls';
import {
  type ClusterStatus,
  CONSOLE_API_PATH,
  CONSOLE_API_VERSIONS,
  type ConsoleApiErrorCode,
  type ConsoleAuth,
  type ConsoleEvent,
  type ConsoleMessage,
  type ConsoleRequest,
  type ConsoleWelcome,
  type ControlAction,
  type ControlResult,
  DEFAULT_MAX_AGENT_FRAME_BYTES,
  decodeConsoleMessage,
  encodeConsoleFrame,
} from '@quorate/protocol';
import { WebSocket } from 'ws';

/** The console's own certificate and key (PEM), which the agents pin. */
export interface ClientIdentity {
  readonly cert: string;
  readonly key: string;
}

/** How sessions dial and watch their agents. */
export interface SessionSettings {
  readonly identity: ClientIdentity;
  /** TLS, hello and welcome must be done within this. */
  readonly attemptTimeoutMs: number;
  /** A ping this often; a link that misses two pongs in a row is cut as dead. */
  readonly heartbeatMs: number;
}

/** Where to reach one agent, and the certificate fingerprint pinned for it (null: none yet). */
export interface AgentTarget {
  readonly address: string;
  readonly port: number;
  readonly pinned: string | null;
}

/** An agent refused, or the console refused the agent; `code` says which rule. */
export class AgentRefusal extends Error {
  override readonly name = 'AgentRefusal';
  constructor(
    readonly code: ConsoleApiErrorCode | 'CONSOLE_API_UNREACHABLE',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The link ended after the agent accepted a task and before its result came: the outcome is
 * unknown (and, for a node told to leave, the link ending is what leaving looks like).
 */
export class TaskCutOff extends AgentRefusal {
  constructor(message: string) {
    super('CONSOLE_API_UNREACHABLE', message);
  }
}

export type AgentPush =
  | { readonly kind: 'status'; readonly status: ClusterStatus }
  | { readonly kind: 'event'; readonly event: ConsoleEvent };

type Reply = Exclude<ConsoleMessage, { type: 'welcome' | 'task' | 'event' }>;

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  /** For an action: where its task's frames go once the agent names the task. */
  task?: { resolve(result: ControlResult): void; reject(error: Error): void };
}

/** Ticks of the heartbeat without a pong after which the agent counts as gone. */
const MISSED_PONGS = 2;

/**
 * One authenticated WebSocket to one agent's console API (DESIGN.md §3). `open` dials with the
 * console's client certificate, checks the agent's certificate against the pinned fingerprint
 * before a byte of the hello is sent, says hello and resolves with the welcome. Afterwards it
 * answers requests by id, actions by their task, and hands pushes to `onPush`.
 */
export class AgentSession {
  private readonly pending = new Map<number, Pending>();
  private readonly tasks = new Map<string, NonNullable<Pending['task']>>();
  private nextId = 1;
  private closeListeners: ((reason: string) => void)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  onPush: (push: AgentPush) => void = () => {};

  private constructor(
    private readonly ws: WebSocket,
    readonly target: AgentTarget,
    readonly welcome: ConsoleWelcome,
    /** The fingerprint of the certificate the agent presented. */
    readonly fingerprint: string,
  ) {}

  static open(
    target: AgentTarget,
    auth: ConsoleAuth,
    settings: SessionSettings,
  ): Promise<AgentSession> {
    const { identity, attemptTimeoutMs: timeoutMs } = settings;
    const host = target.address.includes(':') ? `[${target.address}]` : target.address;
    const where = `${target.address}:${target.port}`;
    const ws = new WebSocket(`wss://${host}:${target.port}${CONSOLE_API_PATH}`, {
      cert: identity.cert,
      key: identity.key,
      // Agents' certificates come from their cluster's CA, which the console never holds: the
      // console pins each agent's fingerprint instead (checked on 'upgrade', before the hello).
      rejectUnauthorized: false,
      maxPayload: DEFAULT_MAX_AGENT_FRAME_BYTES,
      handshakeTimeout: timeoutMs,
    });
    return new Promise<AgentSession>((resolve, reject) => {
      let failure: AgentRefusal | null = null;
      let seen: string | null = null;
      const fail = (error: AgentRefusal) => {
        failure ??= error;
        ws.terminate();
      };
      const timer = setTimeout(
        () =>
          fail(
            new AgentRefusal(
              'CONSOLE_API_UNREACHABLE',
              `${where}: no welcome within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      ws.on('upgrade', (response) => {
        seen = (response.socket as TLSSocket).getPeerCertificate().fingerprint256 ?? null;
        if (target.pinned !== null && seen !== target.pinned) {
          fail(
            new AgentRefusal(
              'CONSOLE_API_AGENT_FINGERPRINT_CHANGED',
              `${where} presented certificate ${seen ?? '(none)'}, not the pinned ${target.pinned}; if the node was reinstalled, remove the cluster and add it again`,
            ),
          );
        }
      });
      ws.on('open', () => {
        const hello: ConsoleRequest = { type: 'hello', versions: [...CONSOLE_API_VERSIONS], auth };
        ws.send(encodeConsoleFrame(hello));
      });
      const onWelcome = (data: Buffer) => {
        const decoded = decodeConsoleMessage(String(data));
        if (!decoded.ok)
          return fail(new AgentRefusal(decoded.error.code, `${where}: ${decoded.error.message}`));
        const frame = decoded.frame;
        if (frame.type === 'error') {
          return fail(
            new AgentRefusal(frame.code, `${where}: ${frame.message}`, frame.retryAfterMs),
          );
        }
        if (frame.type !== 'welcome') {
          return fail(
            new AgentRefusal(
              'CONSOLE_API_FRAME_INVALID',
              `${where}: ${frame.type} before the welcome`,
            ),
          );
        }
        if (frame.agentFingerprint !== seen) {
          return fail(
            new AgentRefusal(
              'CONSOLE_API_AGENT_FINGERPRINT_CHANGED',
              `${where}: the agent names certificate ${frame.agentFingerprint} but presented ${seen}`,
            ),
          );
        }
        clearTimeout(timer);
        ws.off('message', onWelcome);
        ws.off('close', onEarlyClose);
        const session = new AgentSession(ws, target, frame, frame.agentFingerprint);
        session.attach(settings.heartbeatMs);
        resolve(session);
      };
      const onEarlyClose = () => {
        clearTimeout(timer);
        reject(
          failure ??
            new AgentRefusal('CONSOLE_API_UNREACHABLE', `${where}: closed before the welcome`),
        );
      };
      ws.on('message', onWelcome);
      ws.on('close', onEarlyClose);
      ws.on('error', (error) => {
        failure ??= new AgentRefusal('CONSOLE_API_UNREACHABLE', `${where}: ${error.message}`);
      });
    });
  }

  /** Sends a request and resolves with the agent's reply to it. */
  call(
    request: DistributiveOmit<Exclude<ConsoleRequest, { type: 'hello' }>, 'version' | 'id'>,
  ): Promise<Reply> {
    return new Promise((resolve, reject) => this.send(request, { resolve, reject }));
  }

  /** One action: resolves with its task's result once the agent reports it done. */
  action(action: ControlAction): Promise<ControlResult> {
    return new Promise((resolve, reject) => {
      this.send(
        { type: 'action', action },
        { resolve: () => {}, reject, task: { resolve, reject } },
      );
    });
  }

  /** Calls `listener` once when the connection ends, with why. */
  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    this.ws.close(1000);
    // A peer that does not answer the close handshake is cut.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private send(request: Record<string, unknown>, pending: Pending): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      pending.reject(
        new AgentRefusal('CONSOLE_API_UNREACHABLE', `${this.where()}: the link is closed`),
      );
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, pending);
    this.ws.send(JSON.stringify({ version: this.welcome.version, id, ...request }));
  }

  private attach(heartbeatMs: number): void {
    let missed = 0;
    this.ws.on('pong', () => {
      missed = 0;
    });
    // A powered-off agent sends no FIN: without pongs the link is declared dead.
    this.heartbeat = setInterval(() => {
      if (++missed > MISSED_PONGS) this.ws.terminate();
      else this.ws.ping();
    }, heartbeatMs);
    this.ws.on('message', (data) => this.receive(String(data)));
    this.ws.on('close', (code, reason) =>
      this.closed(`closed (${code}${reason.length ? ` ${reason}` : ''})`),
    );
    this.ws.on('error', () => {});
  }

  private receive(raw: string): void {
    const decoded = decodeConsoleMessage(raw);
    if (!decoded.ok) return; // An agent newer than this console may say more; nothing to answer.
    const frame = decoded.frame;
    if (frame.type === 'task') this.taskFrame(frame);
    else if (frame.type === 'event') this.onPush({ kind: 'event', event: frame.event });
    else if (frame.type === 'status' && frame.id === null) {
      this.onPush({ kind: 'status', status: frame.status });
    } else if (frame.type !== 'welcome' && frame.id !== null) this.reply(frame, frame.id);
  }

  private reply(frame: Reply, id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (frame.type === 'error') {
      const refusal = new AgentRefusal(frame.code, `${this.where()}: ${frame.message}`);
      pending.reject(refusal);
      pending.task?.reject(refusal);
      return;
    }
    // Registered before the next frame is read: the task's frames follow right behind.
    if (frame.type === 'accepted' && pending.task) this.tasks.set(frame.taskId, pending.task);
    pending.resolve(frame);
  }

  private taskFrame(frame: Extract<ConsoleMessage, { type: 'task' }>): void {
    const task = this.tasks.get(frame.taskId);
    if (!task || frame.state === 'running') return;
    this.tasks.delete(frame.taskId);
    if (frame.state === 'done') task.resolve(frame.result);
    else task.reject(new AgentRefusal(frame.code, `${this.where()}: ${frame.message}`));
  }

  private closed(reason: string): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    const gone = new AgentRefusal('CONSOLE_API_UNREACHABLE', `${this.where()}: the link ${reason}`);
    for (const pending of this.pending.values()) {
      pending.reject(gone);
      pending.task?.reject(gone);
    }
    for (const task of this.tasks.values()) {
      task.reject(
        new TaskCutOff(
          `${this.where()}: the link ${reason} before the task ended; its outcome is unknown`,
        ),
      );
    }
    this.pending.clear();
    this.tasks.clear();
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }

  private where(): string {
    return `${this.welcome.node} (${this.target.address}:${this.target.port})`;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
