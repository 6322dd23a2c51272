// The console API's test kit: agents serving it on loopback (127.0.0.1) with a plain-data
// provider, console clients that keep every frame, and the certificates both sides use. Importing
// it registers the hooks that make the certificates and close agents and clients after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClusterStatus,
  CONSOLE_API_PATH,
  type ConsoleMessage,
  type ConsoleRequest,
  type ControlAction,
  type ControlResult,
  decodeConsoleMessage,
} from '@quorate/protocol';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import { setAgentPassword } from '../src/console/agent-password.js';
import { AuthLimiter } from '../src/console/auth-limiter.js';
import type { ClusterConsoleTrust } from '../src/console/cluster-trust.js';
import { ConsoleApi } from '../src/console/console-server.js';
import { LogRing } from '../src/console/log-ring.js';
import type { ControlProvider } from '../src/control/control-provider.js';
import { createClusterCa, createNodeCert, type PemPair } from '../src/tls/certificates.js';

export type { PemPair };

import { PeerTransport } from '../src/transport/peer-transport.js';
import type { WireMessage } from '../src/transport/transport-types.js';

// Loopback only (127.0.0.1): agents on test hosts are exercised by the daemon's tests.
export const HOST = '127.0.0.1';
export const PASSWORD = 'correct horse battery';
/** Cheap scrypt for tests; the agent's default costs ~100 ms per check. */
export const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };

export function statusWith(quorate: boolean): ClusterStatus {
  return {
    cluster: {
      name: 'alpha',
      id: 7,
      generation: 2,
      configVersion: 3,
      agentVersion: '0.1.0',
      twoNode: false,
    },
    quorum: { quorate, totalVotes: 1, expectedVotes: 1, quorum: 1, leader: 'node1' },
    local: { name: 'node1', nodeId: 1, votes: 1, membership: 'member', addresses: [] },
    members: [],
    resourceManager: { running: true, locked: false },
    services: [],
  };
}

/** The control socket's provider, as plain data: what the test sets is what the agent says. */
export class FakeProvider implements ControlProvider {
  current = statusWith(true);
  readonly actions: ControlAction[] = [];
  status(): ClusterStatus {
    return this.current;
  }
  clusterConf() {
    return { version: 3, text: '<cluster name="alpha" config_version="3"/>' };
  }
  async request(action: ControlAction): Promise<ControlResult> {
    this.actions.push(action);
    if (action.type === 'node') throw new Error('cman_tool votes: not supported yet');
    return { type: 'fence-ack', ok: true, message: 'fence of node2 acknowledged' };
  }
}

/** Log lines, and waits that resolve when a matching one arrives: no sleeps. */
export class LogLines {
  readonly lines: { event: string; fields: Record<string, unknown> }[] = [];
  private waiters: (() => void)[] = [];
  log = (_level: string, event: string, fields: Record<string, unknown>) => {
    this.lines.push({ event, fields });
    for (const wake of this.waiters.splice(0)) wake();
  };
  async until(event: string): Promise<Record<string, unknown>> {
    for (;;) {
      const line = this.lines.find((l) => l.event === event);
      if (line) return line.fields;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

/** A console client that keeps every frame and waits for the one it needs. */
export class Client {
  readonly frames: ConsoleMessage[] = [];
  closed: number | null = null;
  private waiters: (() => void)[] = [];
  private nextId = 1;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const decoded = decodeConsoleMessage(String(data));
      if (!decoded.ok) throw new Error(`agent sent an invalid frame: ${decoded.error.message}`);
      this.frames.push(decoded.frame);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closed = code;
      this.wake();
    });
  }

  static async open(port: number, identity: PemPair, path = CONSOLE_API_PATH): Promise<Client> {
    const ws = new WebSocket(`wss://${HOST}:${port}${path}`, {
      cert: identity.certPem,
      key: identity.keyPem,
      // The agent's certificate is checked by the console link (luci), not here.
      rejectUnauthorized: false,
    });
    clients.push(ws);
    const client = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(frame: ConsoleRequest | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  request(frame: Record<string, unknown>): number {
    const id = this.nextId++;
    this.send({ version: 1, id, ...frame } as ConsoleRequest);
    return id;
  }

  async next<T extends ConsoleMessage>(match: (frame: ConsoleMessage) => frame is T): Promise<T>;
  async next(match: (frame: ConsoleMessage) => boolean): Promise<ConsoleMessage>;
  async next(match: (frame: ConsoleMessage) => boolean): Promise<ConsoleMessage> {
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index !== -1) return this.frames.splice(index, 1)[0]!;
      if (this.closed !== null) throw new Error(`closed (${this.closed}) before the frame came`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async untilClosed(): Promise<number> {
    while (this.closed === null) await new Promise<void>((r) => this.waiters.push(r));
    return this.closed;
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export const is =
  <K extends ConsoleMessage['type']>(type: K) =>
  (frame: ConsoleMessage): frame is Extract<ConsoleMessage, { type: K }> =>
    frame.type === type;

let ca: PemPair;
export let node1: PemPair;
export let node2: PemPair;
export let consoleIdentity: PemPair;
export let otherConsole: PemPair;
const clients: WebSocket[] = [];

/** A socket the test opened itself, terminated after the test as the kit's clients are. */
export function closeAfterTest(ws: WebSocket): void {
  clients.push(ws);
}
const dirs: string[] = [];

export interface Agent {
  readonly port: number;
  readonly api: ConsoleApi;
  readonly provider: FakeProvider;
  readonly logs: LogLines;
  readonly stateDir: string;
  readonly received: WireMessage[];
  /** The agent's clock, for the rate limiter. */
  clockMs: number;
  close(): Promise<void>;
}

beforeAll(async () => {
  ca = await createClusterCa({ clusterName: 'alpha' });
  node1 = await createNodeCert({ nodeName: 'node1', ca });
  node2 = await createNodeCert({ nodeName: 'node2', ca });
  // Consoles make their own certificates: any issuer but the cluster CA.
  const elsewhere = await createClusterCa({ clusterName: 'console' });
  consoleIdentity = await createNodeCert({ nodeName: 'luci', ca: elsewhere });
  otherConsole = await createNodeCert({ nodeName: 'luci2', ca: elsewhere });
});

const agents: Agent[] = [];

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export const MAX_FRAME_BYTES = 4096;

export async function startAgent(
  options: { password?: boolean; clusterTrust?: ClusterConsoleTrust } = {},
): Promise<Agent> {
  const stateDir = mkdtempSync(join(tmpdir(), 'ricci-console-'));
  dirs.push(stateDir);
  if (options.password !== false) await setAgentPassword(stateDir, PASSWORD, TEST_COST);
  const logs = new LogLines();
  const provider = new FakeProvider();
  const ring = new LogRing();
  ring.add('info', 'started', { version: '0.1.0' });
  const received: WireMessage[] = [];
  let port = 0;
  const agent = {
    clockMs: 1_000_000,
  } as Agent;
  const api = new ConsoleApi({
    nodeName: 'node1',
    agentVersion: '0.1.0',
    stateDir,
    provider,
    nodes: () => [
      { name: 'node1', address: HOST, port },
      { name: 'node2', address: '127.0.0.2', port: 11111 },
    ],
    agentCertPem: node1.certPem,
    discoverAgents: async () => ({
      resourceAgents: [],
      failures: [{ type: 'ocf:x:y', message: 'meta-data: exit 1' }],
    }),
    hostname: 'host1',
    logs: ring,
    log: logs.log,
    tickMs: 20,
    now: () => agent.clockMs,
    limiter: new AuthLimiter(5, 60_000),
    maxFrameBytes: MAX_FRAME_BYTES,
    ...(options.clusterTrust ? { clusterTrust: options.clusterTrust } : {}),
  });
  const transport = new PeerTransport({
    self: 'node1',
    listenHost: HOST,
    listenPort: 0,
    tls: { caPem: ca.certPem, certPem: node1.certPem, keyPem: node1.keyPem },
    peers: [],
    isMember: (name) => name === 'node1' || name === 'node2',
    onMessage: (message) => received.push(message),
    log: logs.log,
    console: api,
  });
  port = await transport.start();
  Object.assign(agent, {
    port,
    api,
    provider,
    logs,
    stateDir,
    received,
    close: async () => {
      api.close();
      await transport.close();
    },
  });
  agents.push(agent);
  return agent;
}

export async function signIn(agent: Agent, identity = consoleIdentity): Promise<Client> {
  const client = await Client.open(agent.port, identity);
  client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
  await client.next(is('welcome'));
  return client;
}
