// The harness's side of the test-host fence agent (`fence/fence_testhost`): a Unix socket in
// the run folder that powers hosts off and on. The agent runs inside a host; a path socket
// crosses network namespaces without a packet, so the root namespace sends nothing to a host.
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPaths } from './layout.js';
import type { TestNetwork } from './test-network.js';

/** The fence agent executable, for `<fencedevice agent="…">` or a runner's agent path. */
export const fenceTestHostAgent = fileURLToPath(
  new URL('../fence/fence_testhost', import.meta.url),
);

export type FenceControlAction = 'off' | 'on' | 'status' | 'list';

export interface FenceControlRequest {
  readonly action: FenceControlAction;
  readonly host?: string;
  /** Date.now() when the harness received it (set on the logged copy). */
  readonly receivedAtMs?: number;
}

export type FenceControlReply =
  | { readonly ok: true; readonly power?: 'on' | 'off'; readonly hosts?: readonly string[] }
  | { readonly ok: false; readonly error: string };

export interface FenceControl {
  readonly socketPath: string;
  /** Every request served, in order (what the fence agents asked for). */
  readonly requests: readonly FenceControlRequest[];
  close(): Promise<void>;
}

async function answer(
  network: TestNetwork,
  request: FenceControlRequest,
): Promise<FenceControlReply> {
  if (request.action === 'list') {
    return { ok: true, hosts: network.clusterHosts.map((h) => h.name) };
  }
  const host = request.host ?? '';
  if (!network.hosts.has(host)) return { ok: false, error: `host "${host}" is not in this run` };
  if (request.action === 'off' && network.isPoweredOn(host)) await network.powerOff(host);
  if (request.action === 'on' && !network.isPoweredOn(host)) await network.powerOn(host);
  if (!['off', 'on', 'status'].includes(request.action)) {
    return { ok: false, error: `action "${request.action}" is not off, on, status or list` };
  }
  return { ok: true, power: network.isPoweredOn(host) ? 'on' : 'off' };
}

function serveConnection(network: TestNetwork, socket: Socket, log: FenceControlRequest[]): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const newline = buffer.indexOf('\n');
    if (newline < 0) {
      if (buffer.length > 4096) socket.destroy();
      return;
    }
    const line = buffer.slice(0, newline);
    let request: FenceControlRequest;
    try {
      request = JSON.parse(line) as FenceControlRequest;
    } catch {
      socket.end(`${JSON.stringify({ ok: false, error: 'request is not JSON' })}\n`);
      return;
    }
    log.push({ ...request, receivedAtMs: Date.now() });
    answer(network, request)
      .catch((error: unknown): FenceControlReply => ({ ok: false, error: String(error) }))
      .then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
  });
}

/** Serves power requests for the network's hosts on `<run folder>/fence.sock`. */
export async function serveFenceControl(network: TestNetwork): Promise<FenceControl> {
  const socketPath = join(runPaths(network.runId).root, 'fence.sock');
  rmSync(socketPath, { force: true });
  const requests: FenceControlRequest[] = [];
  const server: Server = createServer((socket) => serveConnection(network, socket, requests));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(socketPath, { force: true });
      }),
  };
}
