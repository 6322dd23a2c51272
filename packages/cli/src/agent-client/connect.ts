import { createConnection, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import {
  type ClusterStatus,
  CONTROL_PROTOCOL_VERSION,
  type CommittedConfig,
  type ControlAction,
  type ControlErrorCode,
  ControlLineReader,
  type ControlResponse,
  type ControlResult,
  DEFAULT_MAX_CONTROL_FRAME_BYTES,
  decodeControlResponse,
  encodeControlFrame,
} from '@quorate/protocol';

/** The agent's socket cannot be opened: no agent runs, or this user may not talk to it. */
export class AgentUnavailableError extends Error {
  override readonly name = 'AgentUnavailableError';
  constructor(
    readonly path: string,
    /** The errno code (ENOENT, ECONNREFUSED, EACCES, …), or TIMEOUT. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The agent answered with a typed error, or not in the protocol, or not in time. */
export class AgentRequestError extends Error {
  override readonly name = 'AgentRequestError';
  constructor(
    readonly code: ControlErrorCode | 'CONTROL_TIMEOUT' | 'CONTROL_CLOSED',
    message: string,
  ) {
    super(message);
  }
}

export interface ControlClient {
  status(): Promise<ClusterStatus>;
  /** The newest committed cluster.conf, null before there is one. */
  clusterConf(): Promise<CommittedConfig | null>;
  request(action: ControlAction): Promise<ControlResult>;
  close(): void;
}

export interface ConnectOptions {
  /** How long to wait for the connection and for a status or config answer; default 30 s. */
  readonly timeoutMs?: number;
  /**
   * How long to wait for an action's answer; default 10 minutes, since a relocation waits for
   * the agents' stop and start (clusvcadm waited without limit).
   */
  readonly actionTimeoutMs?: number;
  readonly maxFrameBytes?: number;
}

const defaultTimeoutMs = 30_000;
const defaultActionTimeoutMs = 600_000;

/** Opens the agent's control socket (`controlSocketPath(env)`). */
export async function connectControlSocket(
  path: string,
  options: ConnectOptions = {},
): Promise<ControlClient> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = createConnection(path);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new AgentUnavailableError(path, 'TIMEOUT', `no answer from ${path}`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new AgentUnavailableError(path, error.code ?? 'EIO', error.message));
    });
  });
  const actionTimeoutMs = options.actionTimeoutMs ?? Math.max(timeoutMs, defaultActionTimeoutMs);
  return new SocketClient(socket, { timeoutMs, actionTimeoutMs }, options.maxFrameBytes);
}

interface Pending {
  resolve(response: ControlResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

class SocketClient implements ControlClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly maxBytes: number;

  constructor(
    private readonly socket: Socket,
    private readonly timeouts: { timeoutMs: number; actionTimeoutMs: number },
    maxFrameBytes = DEFAULT_MAX_CONTROL_FRAME_BYTES,
  ) {
    this.maxBytes = maxFrameBytes;
    const reader = new ControlLineReader(maxFrameBytes);
    const decoder = new StringDecoder('utf8');
    socket.on('data', (chunk: Buffer) => {
      for (const line of reader.push(decoder.write(chunk))) this.receive(line);
    });
    socket.on('error', () => {});
    socket.on('close', () =>
      this.failAll(new AgentRequestError('CONTROL_CLOSED', 'the agent closed the connection')),
    );
  }

  async status(): Promise<ClusterStatus> {
    const response = await this.send({ type: 'status' });
    if (response.type !== 'status') throw mismatch(response.type, 'status');
    return response.status;
  }

  async clusterConf(): Promise<CommittedConfig | null> {
    const response = await this.send({ type: 'config' });
    if (response.type !== 'config') throw mismatch(response.type, 'config');
    return response.config;
  }

  async request(action: ControlAction): Promise<ControlResult> {
    const response = await this.send({ type: 'action', action });
    if (response.type !== 'result') throw mismatch(response.type, 'result');
    return response.result;
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private send(
    body: { type: 'status' } | { type: 'config' } | { type: 'action'; action: ControlAction },
  ): Promise<ControlResponse> {
    const id = this.nextId++;
    const { timeoutMs, actionTimeoutMs } = this.timeouts;
    const waitMs = body.type === 'action' ? actionTimeoutMs : timeoutMs;
    return new Promise<ControlResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AgentRequestError('CONTROL_TIMEOUT', `no answer in ${waitMs} ms`));
      }, waitMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(encodeControlFrame({ version: CONTROL_PROTOCOL_VERSION, id, ...body }));
    }).then((response) => {
      if (response.type === 'error') throw new AgentRequestError(response.code, response.message);
      return response;
    });
  }

  private receive(line: { ok: true; text: string } | { ok: false; bytes: number }): void {
    if (!line.ok) {
      const message = `the agent's answer of ${line.bytes} bytes is over the ${this.maxBytes}-byte limit`;
      this.failAll(new AgentRequestError('CONTROL_FRAME_TOO_LARGE', message));
      return;
    }
    const decoded = decodeControlResponse(line.text, this.maxBytes);
    if (!decoded.ok) {
      const { code, message } = decoded.error;
      this.failAll(new AgentRequestError(code, `the agent's answer was refused: ${message}`));
      return;
    }
    const { id } = decoded.frame;
    const waiting = id === null ? undefined : this.pending.get(id);
    if (waiting) {
      this.pending.delete(id!);
      clearTimeout(waiting.timer);
      waiting.resolve(decoded.frame);
    } else if (decoded.frame.type === 'error') {
      // An error about a frame the agent could not read: fail whatever is waiting.
      this.failAll(new AgentRequestError(decoded.frame.code, decoded.frame.message));
    }
  }

  private failAll(error: Error): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(id);
    }
  }
}

function mismatch(got: string, wanted: string): AgentRequestError {
  return new AgentRequestError(
    'CONTROL_FRAME_INVALID',
    `the agent answered with a ${got} frame where a ${wanted} frame was due`,
  );
}
