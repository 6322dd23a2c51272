import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  type ClusterStatus,
  CONTROL_PROTOCOL_VERSION,
  type ControlErrorCode,
  ControlLineReader,
  type ControlRequest,
  type ControlResponse,
  type ControlResult,
  clusterStatusSchema,
  committedConfigSchema,
  controlResultSchema,
  DEFAULT_MAX_CONTROL_FRAME_BYTES,
  decodeControlRequest,
  encodeControlFrame,
} from '@quorate/protocol';
import type { LogLevel } from '../transport/transport-types.js';
import type { ControlProvider } from './control-provider.js';

export type ControlLog = (level: LogLevel, event: string, fields: Record<string, unknown>) => void;

export interface ControlServerOptions {
  /** The socket's path, e.g. `/run/quorate/ricci.sock` (`controlSocketPath(env)`). */
  readonly path: string;
  readonly provider: ControlProvider;
  readonly log?: ControlLog;
  readonly maxFrameBytes?: number;
}

export interface ControlServer {
  readonly path: string;
  /** Stops accepting, ends open connections and removes the socket file. */
  close(): Promise<void>;
}

/** The socket file and its parent directory, when the agent creates it: root only. */
export const CONTROL_SOCKET_MODE = 0o600;
const CONTROL_DIR_MODE = 0o700;

export class ControlSocketError extends Error {
  override readonly name = 'ControlSocketError';
}

/**
 * Listens on a Unix socket only its owner (root) can open, and answers newline-delimited JSON
 * requests (`@quorate/protocol` control messages) with the provider's answers. A malformed or
 * oversized request is answered with a typed error and logged; the connection carries on.
 */
export async function serveControlSocket(options: ControlServerOptions): Promise<ControlServer> {
  const { path } = options;
  await removeStaleSocket(path);
  mkdirSync(dirname(path), { recursive: true, mode: CONTROL_DIR_MODE });
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, options);
  });
  await listenPrivately(server, path);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        // net.Server unlinks its own socket file on close.
        server.close(() => resolve());
      }),
  };
}

/**
 * Binds with a umask that leaves the socket 0600 from its first moment (bind happens
 * synchronously inside `listen`), then chmods it again in case the file system ignored the
 * umask, and checks the result.
 */
async function listenPrivately(server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const previous = restrictUmask();
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
  });
  chmodSync(path, CONTROL_SOCKET_MODE);
  const mode = lstatSync(path).mode & 0o777;
  if (mode !== CONTROL_SOCKET_MODE) {
    server.close();
    throw new ControlSocketError(`${path}: mode is ${mode.toString(8)}, not 600`);
  }
}

/** Worker threads may not change the umask: there the 0700 directory and the chmod remain. */
function restrictUmask(): number | undefined {
  try {
    return process.umask(0o177);
  } catch {
    return undefined;
  }
}

/** A socket file left by an agent that died is removed; a live agent's or any other file is not. */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) {
    throw new ControlSocketError(`${path} exists and is not a socket; not replacing it`);
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new ControlSocketError(`another agent is already serving ${path}`);
  unlinkSync(path);
}

function serveConnection(socket: Socket, options: ControlServerOptions): void {
  const maxBytes = options.maxFrameBytes ?? DEFAULT_MAX_CONTROL_FRAME_BYTES;
  const reader = new ControlLineReader(maxBytes);
  const decoder = new StringDecoder('utf8');
  const log = options.log ?? (() => {});
  // One request at a time per connection, answered in order.
  let queue = Promise.resolve();
  const send = (response: ControlResponse) => {
    if (!socket.destroyed) socket.write(encodeControlFrame(response));
  };
  socket.on('data', (chunk: Buffer) => {
    for (const line of reader.push(decoder.write(chunk))) {
      queue = queue.then(async () => {
        if (!line.ok) {
          const message = `/: frame of ${line.bytes} bytes is over the ${maxBytes}-byte limit`;
          log('warn', 'control-frame-refused', { code: 'CONTROL_FRAME_TOO_LARGE', message });
          send(errorResponse(null, 'CONTROL_FRAME_TOO_LARGE', message));
          return;
        }
        if (line.text.trim() === '') return;
        send(await answer(line.text, options.provider, maxBytes, log));
      });
      // A failure to answer one line must not stop the lines after it.
      queue = queue.catch((error: unknown) =>
        log('error', 'control-connection-failed', { detail: String(error) }),
      );
    }
  });
  socket.on('error', (error) =>
    log('debug', 'control-connection-error', { detail: error.message }),
  );
}

async function answer(
  text: string,
  provider: ControlProvider,
  maxBytes: number,
  log: ControlLog,
): Promise<ControlResponse> {
  const decoded = decodeControlRequest(text, maxBytes);
  if (!decoded.ok) {
    const { code, message } = decoded.error;
    log('warn', 'control-frame-refused', { code, message });
    return errorResponse(decoded.id, code, message);
  }
  const request = decoded.frame;
  try {
    return await carryOut(request, provider);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log('error', 'control-request-failed', { request: describe(request), detail: message });
    return errorResponse(request.id, 'CONTROL_REQUEST_FAILED', message);
  }
}

async function carryOut(request: ControlRequest, provider: ControlProvider) {
  const envelope = { version: CONTROL_PROTOCOL_VERSION, id: request.id };
  if (request.type === 'status') {
    const status: ClusterStatus = checked(clusterStatusSchema, await provider.status(), 'status');
    return { ...envelope, type: 'status', status } as const;
  }
  if (request.type === 'config') {
    const config = checked(
      committedConfigSchema.nullable(),
      await provider.clusterConf(),
      'config',
    );
    return { ...envelope, type: 'config', config } as const;
  }
  const result: ControlResult = checked(
    controlResultSchema,
    await provider.request(request.action),
    'result',
  );
  if (result.type !== request.action.type) {
    throw new Error(
      `the agent answered a ${request.action.type} action with a ${result.type} result`,
    );
  }
  return { ...envelope, type: 'result', result } as const;
}

/** The part of a zod schema used here (zod itself is the protocol package's dependency). */
interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
}

/** The provider's answer must match the protocol too: a bad one is the agent's bug, reported. */
export function checked<T>(schema: Schema<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = `/${[what, ...(issue?.path ?? [])].map(String).join('/')}`;
  throw new Error(`the agent's answer is invalid: ${path}: ${issue?.message ?? 'invalid'}`);
}

function errorResponse(
  id: number | null,
  code: ControlErrorCode,
  message: string,
): ControlResponse {
  return { version: CONTROL_PROTOCOL_VERSION, id, type: 'error', code, message };
}

function describe(request: ControlRequest): string {
  if (request.type !== 'action') return request.type;
  const { action } = request;
  return 'request' in action ? `${action.type}:${action.request.kind}` : action.type;
}
