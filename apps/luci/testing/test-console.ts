import type { AddressInfo } from 'node:net';
import { csrfHeaderName, type LiveMessage, type SessionInfo } from '@quorate/protocol';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import WebSocket from 'ws';
import { buildApp } from '../src/app.js';
import type { ClusterLinkFactory } from '../src/cluster-link/cluster-link.js';
import { unavailableClusterLinks } from '../src/cluster-link/unavailable-links.js';
import { ConsoleStore, openMemoryDatabase } from '../src/store/index.js';
import { FakeCluster } from '../src/testing/fake-cluster.js';

export { FakeCluster, threeNodeStatus } from '../src/testing/fake-cluster.js';

export const host = 'console.test';
export const origin = `http://${host}`;
export const adminPassword = 'first admin password';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A browser's view of the console: its cookie and CSRF token, sent the way the web app does. */
export class TestBrowser {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  async call(
    method: Method,
    url: string,
    body?: unknown,
    extra: InjectOptions = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { host, origin };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken) headers[csrfHeaderName] = this.csrfToken;
    return this.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      ...extra,
      headers: { ...headers, ...(extra.headers ?? {}) },
    });
  }

  /** Logs in; returns the response so tests can look at the cookie and the status. */
  async login(user: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.call('POST', '/api/session', { user, password });
    if (response.statusCode === 200) {
      const setCookie = [response.headers['set-cookie'] ?? []].flat()[0] ?? '';
      this.cookie = setCookie.split(';')[0];
      this.csrfToken = (response.json() as SessionInfo).csrfToken;
    }
    return response;
  }
}

/** Links to an in-memory cluster (three healthy nodes running service:webservice by default). */
export function fakeClusterLinks(cluster: FakeCluster = new FakeCluster()): ClusterLinkFactory {
  return cluster.links();
}

export interface TestConsole {
  readonly app: FastifyInstance;
  readonly store: ConsoleStore;
  advance(ms: number): void;
  browser(): TestBrowser;
  /** Sets the admin password and returns a browser logged in as admin. */
  asAdmin(): Promise<TestBrowser>;
  /** Creates a user (as admin) with roles and returns a browser logged in as that user. */
  asUser(name: string, roles?: Record<string, string[]>): Promise<TestBrowser>;
  close(): Promise<void>;
}

export async function startTestConsole(
  clusterLinks: ClusterLinkFactory = unavailableClusterLinks,
): Promise<TestConsole> {
  let now = Date.UTC(2026, 10, 27, 8, 0, 0);
  const store = new ConsoleStore(openMemoryDatabase());
  const app = await buildApp({
    store,
    clusterLinks,
    webDir: null,
    https: null,
    now: () => now,
    scryptCost: { N: 1024, r: 8, p: 1 },
    liveSweepMs: 0,
  });
  let admin: TestBrowser | undefined;
  const testConsole: TestConsole = {
    app,
    store,
    advance: (ms) => {
      now += ms;
    },
    browser: () => new TestBrowser(app),
    asAdmin: async () => {
      if (admin) return admin;
      const browser = new TestBrowser(app);
      await browser.call('POST', '/api/setup', { password: adminPassword });
      const response = await browser.login('admin', adminPassword);
      if (response.statusCode !== 200) throw new Error(`admin login: ${response.body}`);
      admin = browser;
      return browser;
    },
    asUser: async (name, roles = {}) => {
      const adminBrowser = await testConsole.asAdmin();
      const password = `${name} password 123`;
      await adminBrowser.call('POST', '/api/users', { name, password });
      if (Object.keys(roles).length > 0) {
        const set = await adminBrowser.call('PUT', `/api/users/${encodeURIComponent(name)}/roles`, {
          roles,
        });
        if (set.statusCode !== 200) throw new Error(`roles: ${set.body}`);
      }
      const browser = new TestBrowser(app);
      const response = await browser.login(name, password);
      if (response.statusCode !== 200) throw new Error(`${name} login: ${response.body}`);
      return browser;
    },
    close: async () => {
      await app.close();
      store.close();
    },
  };
  return testConsole;
}

/** A console with the fake cluster added by the admin ("Add cluster", as a browser does it). */
export async function startWithFakeCluster(cluster: FakeCluster = new FakeCluster()) {
  const testConsole = await startTestConsole(fakeClusterLinks(cluster));
  const admin = await testConsole.asAdmin();
  const added = await admin.call('POST', '/api/clusters', {
    address: '192.0.2.1',
    agentPassword: 'agent secret',
  });
  if (added.statusCode !== 201) throw new Error(`add cluster: ${added.body}`);
  return { console: testConsole, admin, cluster };
}

/** The newest audit entry: action, user, cluster, target, result and error code. */
export async function lastAudit(admin: TestBrowser): Promise<unknown[]> {
  const { entries } = (await admin.call('GET', '/api/audit?limit=1')).json();
  const [entry] = entries;
  return [entry.action, entry.user, entry.cluster, entry.target, entry.result, entry.errorCode];
}

/** Registers a cluster straight in the store, as the registry would after a successful add. */
export function registerCluster(store: ConsoleStore, name: string): void {
  store.clusters.add({
    name,
    addedBy: 'test',
    now: 0,
    nodes: [{ name: 'node1', address: '192.0.2.1', port: 11111, agentFingerprint: null }],
  });
}

export interface LiveSocket {
  readonly socket: WebSocket;
  /** Every message so far, in order of arrival. */
  readonly received: readonly LiveMessage[];
  /** The next message, in order of arrival. */
  next(): Promise<LiveMessage>;
  /** The next message of `type`, skipping the others. */
  nextOf<T extends LiveMessage['type']>(type: T): Promise<Extract<LiveMessage, { type: T }>>;
  readonly closed: Promise<number>;
  /** The HTTP status of a refused handshake. */
  readonly refused: Promise<number>;
}

/**
 * A tab's live socket on a listening test console; it queues what it receives, so a test can
 * await each message in turn. The caller terminates `socket` when done.
 */
export function openLiveSocket(
  app: FastifyInstance,
  browser: TestBrowser,
  headers: Record<string, string> = {},
): LiveSocket {
  const { port } = app.server.address() as AddressInfo;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/live`, {
    headers: { host, origin, cookie: browser.cookie ?? '', ...headers },
  });
  // A refused handshake also reports an error; the test looks at the status instead.
  socket.on('error', () => undefined);
  const queue: LiveMessage[] = [];
  const waiters: ((m: LiveMessage) => void)[] = [];
  const received: LiveMessage[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as LiveMessage;
    received.push(message);
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const next = () =>
    new Promise<LiveMessage>((resolve) => {
      const queued = queue.shift();
      if (queued) resolve(queued);
      else waiters.push(resolve);
    });
  const nextOf = async <T extends LiveMessage['type']>(type: T) => {
    for (;;) {
      const message = await next();
      if (message.type === type) return message as Extract<LiveMessage, { type: T }>;
    }
  };
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const refused = new Promise<number>((resolve) =>
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
  );
  return { socket, received, next, nextOf, closed, refused };
}
