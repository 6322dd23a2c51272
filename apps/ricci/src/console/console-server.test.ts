import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyCommand,
  type ControllerEvent,
  type ControllerInput,
  type ControllerState,
  emptyControllerState,
  NO_QUORUM_MESSAGE,
  type ObserverEvent,
} from '@quorate/core';
import {
  type ClusterStatus,
  CONSOLE_API_PATH,
  type ConsoleMessage,
  type ConsoleRequest,
  type ControlAction,
  type ControlResult,
  decodeConsoleMessage,
} from '@quorate/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ControlProvider } from '../control/control-provider.js';
import { createClusterCa, createNodeCert, type PemPair } from '../tls/certificates.js';
import { PeerTransport } from '../transport/peer-transport.js';
import { PEER_PATH, type WireMessage } from '../transport/transport-types.js';
import { CONSOLE_DIR, setAgentPassword } from './agent-password.js';
import { AuthLimiter } from './auth-limiter.js';
import { ClusterConsoleTrust, type ClusterTrustHost } from './cluster-trust.js';
import { ConsoleApi } from './console-server.js';
import { LogRing } from './log-ring.js';
import { TRUSTED_CONSOLES_FILE } from './trusted-consoles.js';

// Loopback only (127.0.0.1): agents on test hosts are exercised by the daemon's tests.
const HOST = '127.0.0.1';
const PASSWORD = 'correct horse battery';
/** Cheap scrypt for tests; the agent's default costs ~100 ms per check. */
const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };

function statusWith(quorate: boolean): ClusterStatus {
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
class FakeProvider implements ControlProvider {
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
class LogLines {
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
class Client {
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

const is =
  <K extends ConsoleMessage['type']>(type: K) =>
  (frame: ConsoleMessage): frame is Extract<ConsoleMessage, { type: K }> =>
    frame.type === type;

let ca: PemPair;
let node1: PemPair;
let node2: PemPair;
let consoleIdentity: PemPair;
let otherConsole: PemPair;
const clients: WebSocket[] = [];
const dirs: string[] = [];

interface Agent {
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

const MAX_FRAME_BYTES = 4096;

async function startAgent(
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

async function signIn(agent: Agent, identity = consoleIdentity): Promise<Client> {
  const client = await Client.open(agent.port, identity);
  client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
  await client.next(is('welcome'));
  return client;
}

describe('console API authentication', () => {
  it('welcomes the right password, pins the certificate, and then needs no password', async () => {
    const agent = await startAgent();
    const client = await Client.open(agent.port, consoleIdentity);
    client.send({
      type: 'hello',
      versions: [1, 2],
      auth: { kind: 'password', password: PASSWORD },
    });
    const welcome = await client.next(is('welcome'));
    expect(welcome).toMatchObject({
      version: 1,
      node: 'node1',
      cluster: 'alpha',
      configVersion: 3,
      auth: 'password',
      nodes: [
        {
          name: 'node1',
          address: HOST,
          port: agent.port,
          agentFingerprint: welcome.agentFingerprint,
        },
        { name: 'node2', address: '127.0.0.2', port: 11111, agentFingerprint: null },
      ],
    });
    const file = join(agent.stateDir, CONSOLE_DIR, TRUSTED_CONSOLES_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const pinned = (await agent.logs.until('console-pinned')).fingerprint as string;
    expect(readFileSync(file, 'utf8')).toContain(pinned);

    const again = await Client.open(agent.port, consoleIdentity);
    again.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
    expect(await again.next(is('welcome'))).toMatchObject({ auth: 'certificate' });

    const stranger = await Client.open(agent.port, otherConsole);
    stranger.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
    expect(await stranger.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
    });
    expect(await stranger.untilClosed()).toBe(1008);
  });

  it('refuses a wrong password, closes, and logs the attempt without the password', async () => {
    const agent = await startAgent();
    const client = await Client.open(agent.port, consoleIdentity);
    const guess = 'wrong-guess-7f3a9c';
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: guess } });
    expect(await client.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_AUTH_FAILED',
      id: null,
    });
    expect(await client.untilClosed()).toBe(1008);
    const failed = await agent.logs.until('console-auth-failed');
    expect(failed).toMatchObject({ remote: HOST, failures: 1 });
    expect(JSON.stringify(agent.logs.lines)).not.toContain(guess);
    expect(JSON.stringify(agent.logs.lines)).not.toContain(PASSWORD);
    expect(agent.logs.lines.some((l) => l.event === 'console-pinned')).toBe(false);
  });

  it('rate limits wrong passwords per address, even a right one after them, until the window ends', async () => {
    const agent = await startAgent();
    for (let i = 0; i < 5; i++) {
      const client = await Client.open(agent.port, consoleIdentity);
      client.send({
        type: 'hello',
        versions: [1],
        auth: { kind: 'password', password: `bad-${i}` },
      });
      expect(await client.next(is('error'))).toMatchObject({ code: 'CONSOLE_API_AUTH_FAILED' });
    }
    agent.clockMs += 10_000;
    const limited = await Client.open(agent.port, consoleIdentity);
    limited.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await limited.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_AUTH_RATE_LIMITED',
      retryAfterMs: 50_000,
    });
    expect(await agent.logs.until('console-auth-rate-limited')).toMatchObject({ remote: HOST });
    agent.clockMs += 50_000;
    const later = await Client.open(agent.port, consoleIdentity);
    later.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await later.next(is('welcome'))).toMatchObject({ auth: 'password' });
  });

  it('limits guesses sent side by side as strictly as guesses sent one after another', async () => {
    const agent = await startAgent();
    const guessers = await Promise.all(
      Array.from({ length: 8 }, () => Client.open(agent.port, consoleIdentity)),
    );
    guessers.forEach((client, i) => {
      client.send({
        type: 'hello',
        versions: [1],
        auth: { kind: 'password', password: `guess-${i}` },
      });
    });
    const codes = await Promise.all(
      guessers.map(async (client) => (await client.next(is('error'))).code),
    );
    expect(codes.filter((code) => code === 'CONSOLE_API_AUTH_FAILED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'CONSOLE_API_AUTH_RATE_LIMITED')).toHaveLength(3);
  });

  it('answers nothing before a hello, and says when no agent password is set', async () => {
    const agent = await startAgent({ password: false });
    const early = await Client.open(agent.port, consoleIdentity);
    early.request({ type: 'status' });
    expect(await early.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_NOT_AUTHENTICATED',
      id: 1,
    });
    expect(await early.untilClosed()).toBe(1008);
    const client = await Client.open(agent.port, consoleIdentity);
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await client.next(is('error'))).toMatchObject({ code: 'CONSOLE_API_NO_PASSWORD' });
  });
});

describe('peers and consoles on one port', () => {
  it('cuts a certificate from outside the cluster CA before the peer endpoint reads a frame', async () => {
    const agent = await startAgent();
    const outsider = new WebSocket(`wss://${HOST}:${agent.port}${PEER_PATH}`, {
      cert: consoleIdentity.certPem,
      key: consoleIdentity.keyPem,
      rejectUnauthorized: false,
    });
    clients.push(outsider);
    const outcome = await new Promise<string>((resolve) => {
      outsider.once('open', () => resolve('open'));
      outsider.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    expect(await agent.logs.until('peer-refused')).toMatchObject({
      reason: expect.stringContaining('not from the cluster CA'),
    });
    // The same request with node2's certificate from the cluster CA is let in.
    const peer = new WebSocket(`wss://${HOST}:${agent.port}${PEER_PATH}`, {
      cert: node2.certPem,
      key: node2.keyPem,
      rejectUnauthorized: false,
    });
    clients.push(peer);
    await new Promise<void>((resolve, reject) => {
      peer.once('open', () => resolve());
      peer.once('error', reject);
    });
    expect(agent.received).toEqual([]);
  });
});

describe('console API requests', () => {
  it('answers status, config, metadata and logs, and survives a malformed frame', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    client.send('{"not json');
    expect(await client.next(is('error'))).toMatchObject({ code: 'CONSOLE_API_FRAME_NOT_JSON' });
    client.request({ type: 'logs', padding: 'x'.repeat(MAX_FRAME_BYTES) });
    expect(await client.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_FRAME_TOO_LARGE',
      message: expect.stringContaining(`over the ${MAX_FRAME_BYTES}-byte limit`),
    });
    expect(await agent.logs.until('console-frame-refused')).toMatchObject({
      code: 'CONSOLE_API_FRAME_NOT_JSON',
    });
    const statusId = client.request({ type: 'status' });
    expect(await client.next(is('status'))).toEqual({
      version: 1,
      id: statusId,
      type: 'status',
      status: agent.provider.current,
    });
    client.request({ type: 'config' });
    expect(await client.next(is('config'))).toMatchObject({ config: { version: 3 } });
    client.request({ type: 'metadata' });
    expect(await client.next(is('metadata'))).toMatchObject({
      metadata: { node: 'node1', hostname: 'host1', failures: [{ type: 'ocf:x:y' }] },
    });
    client.request({ type: 'logs', limit: 500 });
    const logs = await client.next(is('logs'));
    expect(logs.lines.map((line) => line.event)).toEqual(['started']);
  });

  it('answers an action with a task id, then running, then the result; a failure fails the task', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    const id = client.request({ type: 'action', action: { type: 'fence-ack', node: 'node2' } });
    const accepted = await client.next(is('accepted'));
    expect(accepted.id).toBe(id);
    const forTask = (state: string) => (frame: ConsoleMessage) =>
      frame.type === 'task' && frame.taskId === accepted.taskId && frame.state === state;
    await client.next(forTask('running'));
    expect(await client.next(forTask('done'))).toMatchObject({
      result: { type: 'fence-ack', ok: true },
    });
    expect(agent.provider.actions).toEqual([{ type: 'fence-ack', node: 'node2' }]);

    client.request({
      type: 'action',
      action: { type: 'node', request: { kind: 'votes', votes: 2 } },
    });
    const second = await client.next(is('accepted'));
    expect(second.taskId).not.toBe(accepted.taskId);
    const failed = await client.next(
      (frame) =>
        frame.type === 'task' && frame.taskId === second.taskId && frame.state === 'failed',
    );
    expect(failed).toMatchObject({
      code: 'CONSOLE_API_REQUEST_FAILED',
      message: 'cman_tool votes: not supported yet',
    });
  });

  it('pushes transitions as events and the status once per change, coalesced within a tick', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    client.request({ type: 'subscribe' });
    await client.next(is('subscribed'));
    const baseline = await client.next(is('status'));
    expect(baseline).toMatchObject({ id: null, status: { quorum: { quorate: true } } });

    agent.provider.current = statusWith(false);
    const quorumLost: ObserverEvent = {
      type: 'quorum-changed',
      quorate: false,
      votes: 1,
      expectedVotes: 3,
      quorum: 2,
    };
    const serviceStopped: ControllerEvent = {
      type: 'service-state-changed',
      service: 'service:web',
      state: 'stopped',
      owner: undefined,
      partial: false,
    };
    agent.api.coreEvent(quorumLost);
    agent.api.coreEvent(serviceStopped);
    agent.api.coreEvent({
      type: 'entry-committed',
      entry: { index: 4, term: 2, kind: 'command', data: '' },
    });
    expect(await client.next(is('event'))).toMatchObject({
      event: { kind: 'quorum', node: 'node1', quorate: false, quorum: 2, atMs: agent.clockMs },
    });
    expect(await client.next(is('event'))).toMatchObject({
      event: { kind: 'service', service: 'service:web', state: 'stopped', owner: null },
    });
    expect(await client.next(is('status'))).toMatchObject({
      id: null,
      status: { quorum: { quorate: false } },
    });

    // A change the status does not show is not pushed; the next real one is, alone.
    agent.api.statusChanged();
    agent.provider.current = statusWith(true);
    agent.api.statusChanged();
    expect(await client.next(is('status'))).toMatchObject({
      status: { quorum: { quorate: true } },
    });
    expect(client.frames.filter((frame) => frame.type === 'status')).toEqual([]);
  });
});

/**
 * The core as the console API sees it: a committed state that changes only by applying the
 * commands the (always local) leader would append, and an answer per change, one turn later.
 */
class FakeCluster implements ClusterTrustHost {
  current: ControllerState = emptyControllerState;
  quorate = true;
  readonly apis: ConsoleApi[] = [];
  state(): ControllerState {
    return this.current;
  }
  submit(input: ControllerInput): boolean {
    if (input.type !== 'console-trust') return false;
    queueMicrotask(() => {
      const { id, change } = input;
      if (!this.quorate) return this.answer(id, false, NO_QUORUM_MESSAGE);
      this.apply(change);
      this.answer(id, true, change.kind === 'trust' ? 'trusted by the cluster' : 'revoked');
    });
    return true;
  }
  /** A change committed through another node. */
  apply(change: Extract<ControllerInput, { type: 'console-trust' }>['change']): void {
    const base = { v: 1 as const, atMs: 1000, fingerprint: change.fingerprint };
    const command =
      change.kind === 'trust'
        ? { ...base, type: 'console-trusted' as const, label: change.label }
        : { ...base, type: 'console-revoked' as const };
    this.current = applyCommand(this.current, command, this.current.applied + 1, 1).state;
  }
  private answer(id: string, ok: boolean, message: string): void {
    for (const api of this.apis) api.coreEvent({ type: 'console-trust-result', id, ok, message });
  }
}

async function clusterAgent(cluster: FakeCluster): Promise<Agent> {
  const agent = await startAgent({ clusterTrust: new ClusterConsoleTrust(cluster) });
  cluster.apis.push(agent.api);
  return agent;
}

async function certificateHello(agent: Agent, identity = consoleIdentity) {
  const client = await Client.open(agent.port, identity);
  client.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
  return client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
}

describe('trusted consoles in the cluster state', () => {
  const fingerprintOf = (identity: PemPair) => new X509Certificate(identity.certPem).fingerprint256;

  it('a password hello pins here and has the cluster trust the certificate, which another node then accepts', async () => {
    const cluster = new FakeCluster();
    const first = await clusterAgent(cluster);
    const other = await clusterAgent(cluster);
    const client = await Client.open(first.port, consoleIdentity);
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await client.next(is('welcome'))).toMatchObject({
      auth: 'password',
      consoleTrust: 'cluster',
    });
    const fingerprint = fingerprintOf(consoleIdentity);
    expect(cluster.current.trustedConsoles[fingerprint]?.label).toBe(HOST);
    expect(await first.logs.until('console-trusted-by-cluster')).toMatchObject({ fingerprint });
    // The other agent never saw the password and has no pin of its own.
    expect(await certificateHello(other)).toMatchObject({
      type: 'welcome',
      auth: 'certificate',
      consoleTrust: 'cluster',
    });
    expect(await certificateHello(other, otherConsole)).toMatchObject({
      type: 'error',
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
    });
  });

  it('without quorum the password hello still works on its own pin, which a later revocation voids', async () => {
    const cluster = new FakeCluster();
    cluster.quorate = false;
    const agent = await clusterAgent(cluster);
    const client = await Client.open(agent.port, consoleIdentity);
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await client.next(is('welcome'))).toMatchObject({ consoleTrust: 'node' });
    expect(await agent.logs.until('console-trust-not-recorded')).toMatchObject({
      detail: NO_QUORUM_MESSAGE,
    });
    expect(await certificateHello(agent)).toMatchObject({ type: 'welcome', consoleTrust: 'node' });
    cluster.apply({ kind: 'revoke', fingerprint: fingerprintOf(consoleIdentity) });
    expect(await certificateHello(agent)).toMatchObject({
      type: 'error',
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
    });
  });

  it('revoke-console removes the console from the cluster and the pin here: refused everywhere after', async () => {
    const cluster = new FakeCluster();
    const first = await clusterAgent(cluster);
    const other = await clusterAgent(cluster);
    const client = await signIn(first);
    const id = client.request({ type: 'revoke-console' });
    const fingerprint = fingerprintOf(consoleIdentity);
    expect(await client.next(is('console-revoked'))).toMatchObject({
      id,
      fingerprint,
      cluster: true,
    });
    expect(cluster.current.trustedConsoles).toEqual({});
    const file = join(first.stateDir, CONSOLE_DIR, TRUSTED_CONSOLES_FILE);
    expect(readFileSync(file, 'utf8')).not.toContain(fingerprint);
    for (const agent of [first, other]) {
      expect(await certificateHello(agent)).toMatchObject({
        type: 'error',
        code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
      });
    }
  });

  it('a bare node keeps its own pins and says the cluster did not record a revocation', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    client.request({ type: 'revoke-console' });
    expect(await client.next(is('console-revoked'))).toMatchObject({
      cluster: false,
      message: expect.stringContaining("this node's pin is removed"),
    });
    expect(await certificateHello(agent)).toMatchObject({ type: 'error' });
  });
});
