import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AlertPayload, alertHeaders, alertPayloadSchema } from '@quorate/protocol';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCluster, TestBrowser } from '../../testing/test-console.js';
import { buildApp } from '../app.js';
import { ConsoleStore, openMemoryDatabase } from '../store/index.js';
import { signatureOf } from './alert-senders.js';
import { type AlertDeliveryOptions, defaultAlertDelivery } from './alert-service.js';

/** One request a receiver got: headers, raw body, the payload it parsed. */
interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly payload: AlertPayload;
}

/** A real HTTP receiver on loopback; `answer` says which status the next request gets. */
async function startReceiver(answers: number[] = []) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body, payload: JSON.parse(body) });
      response.statusCode = answers.shift() ?? 200;
      response.end();
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Resolves once `count` requests have arrived. */
    waitFor: (count: number) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const quick: AlertDeliveryOptions = {
  ...defaultAlertDelivery,
  attempts: 3,
  firstRetryMs: 5,
  maxRetryMs: 20,
  attemptTimeoutMs: 2000,
};

/** A console (inject) with the fake cluster added, signed in as admin; `clock` moves its time. */
async function consoleWithCluster(cluster = new FakeCluster()) {
  const clock = { now: Date.UTC(2026, 10, 27, 9, 0, 0) };
  const store = new ConsoleStore(openMemoryDatabase());
  const app = await buildApp({
    store,
    clusterLinks: cluster.links(),
    webDir: null,
    https: null,
    now: () => clock.now,
    scryptCost: { N: 1024, r: 8, p: 1 },
    liveSweepMs: 0,
    alertDelivery: quick,
  });
  closers.push(
    () => store.close(),
    () => app.close(),
  );
  const admin = new TestBrowser(app);
  await admin.call('POST', '/api/setup', { password: 'first admin password' });
  await admin.login('admin', 'first admin password');
  const added = await admin.call('POST', '/api/clusters', {
    address: '192.0.2.1',
    agentPassword: 'agent secret',
  });
  expect(added.statusCode).toBe(201);
  return { app, store, admin, cluster, clock };
}

const secret = 'a shared secret of some length';
const targets = '/api/clusters/webcluster/alerts/targets';

async function addWebhook(admin: TestBrowser, url: string, extra: object = {}) {
  const response = await admin.call('POST', targets, {
    kind: 'webhook',
    name: 'ops hook',
    url,
    secret,
    events: ['failover', 'fence', 'quorum', 'service-failed'],
    ...extra,
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: number };
}

describe('alert targets', () => {
  it('stores a webhook with its secret and never shows or audits the secret', async () => {
    const { admin, store } = await consoleWithCluster();
    const target = await addWebhook(admin, 'https://hooks.example.com/quorate');
    expect(target).toMatchObject({ kind: 'webhook', name: 'ops hook', hasSecret: true });
    const listed = await admin.call('GET', targets);
    expect(listed.body).not.toContain(secret);
    expect(listed.json().targets).toHaveLength(1);
    const audit = await admin.call('GET', '/api/audit?limit=1');
    expect(audit.json().entries[0]).toMatchObject({ action: 'alert.target-add', result: 'ok' });
    expect(audit.body).not.toContain(secret);
    const row = store.clusters.byName('webcluster');
    expect(store.alerts.target(row?.id ?? 0, target.id)?.secret).toBe(secret);
  });

  it('refuses a URL with credentials in it, naming the field, and a duplicate name', async () => {
    const { admin } = await consoleWithCluster();
    const refused = await admin.call('POST', targets, {
      kind: 'webhook',
      name: 'leaky',
      url: 'https://user:pass@hooks.example.com/',
      events: ['failover'],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('url');
    expect(refused.json().error.message).toContain('no user or password');
    await addWebhook(admin, 'https://hooks.example.com/a');
    const again = await admin.call('POST', targets, {
      kind: 'webhook',
      name: 'ops hook',
      url: 'https://hooks.example.com/b',
      events: ['failover'],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.field).toBe('name');
  });

  it('lets a viewer read targets and the log but not add, test or delete', async () => {
    const { admin, app } = await consoleWithCluster();
    const target = await addWebhook(admin, 'https://hooks.example.com/a');
    await admin.call('POST', '/api/users', { name: 'viewer', password: 'viewer password 1' });
    await admin.call('PUT', '/api/users/viewer/roles', { roles: { webcluster: ['view'] } });
    const viewer = new TestBrowser(app);
    await viewer.login('viewer', 'viewer password 1');
    expect((await viewer.call('GET', targets)).statusCode).toBe(200);
    expect(
      (await viewer.call('GET', '/api/clusters/webcluster/alerts/deliveries')).statusCode,
    ).toBe(200);
    const add = await viewer.call('POST', targets, {
      kind: 'webhook',
      name: 'mine',
      url: 'https://x.example.com/',
      events: ['failover'],
    });
    expect(add.statusCode).toBe(403);
    expect((await viewer.call('POST', `${targets}/${target.id}/test`, {})).statusCode).toBe(403);
    expect((await viewer.call('DELETE', `${targets}/${target.id}`)).statusCode).toBe(403);
  });
});

describe('webhook delivery', () => {
  it('sends a signed test alert to a real receiver and logs the delivery', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const { admin } = await consoleWithCluster();
    const target = await addWebhook(admin, receiver.url);
    const tested = await admin.call('POST', `${targets}/${target.id}/test`, {});
    expect(tested.statusCode).toBe(200);
    expect(tested.json().delivery).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      kind: 'test',
      targetName: 'ops hook',
    });
    const [got] = receiver.received;
    expect(alertPayloadSchema.parse(got?.payload)).toMatchObject({
      schema: 'quorate.alert/1',
      cluster: 'webcluster',
      kind: 'test',
      details: { kind: 'test', requestedBy: 'admin' },
    });
    expect(got?.headers[alertHeaders.signature]).toBe(signatureOf(secret, got?.body ?? ''));
    expect(got?.headers[alertHeaders.kind]).toBe('test');
    expect(got?.body).not.toContain(secret);
    const log = (await admin.call('GET', '/api/clusters/webcluster/alerts/deliveries')).json();
    expect(log.deliveries[0]).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('retries a 503 with backoff until it is delivered; a 404 is not retried', async () => {
    const flaky = await startReceiver([503, 503, 200]);
    closers.push(flaky.close);
    const { admin } = await consoleWithCluster();
    const target = await addWebhook(admin, flaky.url);
    const first = (await admin.call('POST', `${targets}/${target.id}/test`, {})).json();
    expect(first.delivery).toMatchObject({ state: 'sending', attempts: 1, lastStatus: 503 });
    await flaky.waitFor(3);
    // The same alert each time: a receiver can drop duplicates by its id.
    expect(new Set(flaky.received.map((r) => r.payload.id)).size).toBe(1);
    const logged = async () =>
      (await admin.call('GET', '/api/clusters/webcluster/alerts/deliveries')).json().deliveries[0];
    await expect.poll(logged).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200 });

    const missing = await startReceiver([404]);
    closers.push(missing.close);
    const gone = await addWebhook(admin, missing.url, { name: 'gone hook' });
    const refused = (await admin.call('POST', `${targets}/${gone.id}/test`, {})).json();
    expect(refused.delivery).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastStatus: 404,
      lastError: 'the receiver answered HTTP 404',
    });
  });

  it('gives up on an unreachable receiver after the bounded attempts', async () => {
    const closed = await startReceiver();
    await closed.close();
    const { admin } = await consoleWithCluster();
    const target = await addWebhook(admin, closed.url);
    await admin.call('POST', `${targets}/${target.id}/test`, {});
    const logged = async () =>
      (await admin.call('GET', '/api/clusters/webcluster/alerts/deliveries')).json().deliveries[0];
    await expect.poll(logged).toMatchObject({ state: 'failed', attempts: quick.attempts });
    expect((await logged()).lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });
});

describe('alerts from the cluster', () => {
  it('a powered-off owner: fence and failover alerts with cause and duration', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const { admin, cluster, clock } = await consoleWithCluster();
    await addWebhook(admin, receiver.url);
    cluster.powerOff('node2');
    clock.now += 1500;
    cluster.recover('node2', 'node3');
    await receiver.waitFor(2);
    const byKind = Object.fromEntries(receiver.received.map((r) => [r.payload.kind, r.payload]));
    expect(byKind.fence?.details).toEqual({
      kind: 'fence',
      node: 'node2',
      result: 'succeeded',
      startedAt: '2026-11-27T09:00:00.000Z',
      durationMs: 1500,
    });
    expect(byKind.failover).toMatchObject({
      subject: 'service:webservice',
      severity: 'warning',
      summary:
        'service:webservice failed over from node2 to node3 after node2 was lost and fenced, in 1.5 s',
      details: {
        kind: 'failover',
        service: 'service:webservice',
        from: 'node2',
        to: 'node3',
        cause: 'owner-lost',
        troubleAt: '2026-11-27T09:00:00.000Z',
        durationMs: 1500,
      },
    });
    for (const r of receiver.received) alertPayloadSchema.parse(r.payload);
  });

  it('quorum lost and regained, a failed service, and only the kinds a target chose', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const { admin, cluster } = await consoleWithCluster();
    await addWebhook(admin, receiver.url, { events: ['quorum', 'service-failed'] });
    const setQuorate = (quorate: boolean) =>
      cluster.update((s) => ({
        ...s,
        quorum: { ...s.quorum, quorate, totalVotes: quorate ? 3 : 1 },
      }));
    setQuorate(false);
    setQuorate(true);
    cluster.update((s) => ({
      ...s,
      services: s.services.map((x) => ({ ...x, state: 'failed' as const })),
    }));
    cluster.powerOff('node2');
    cluster.recover('node2', 'node3');
    await receiver.waitFor(3);
    expect(receiver.received.map((r) => r.payload.summary)).toEqual([
      'Cluster webcluster lost quorum (1 of 3 votes, quorum 2): no service starts or moves',
      'Cluster webcluster regained quorum (3 of 3 votes, quorum 2)',
      'service:webservice failed on node2 (clusvcadm -d, then -e, restarts it)',
    ]);
    expect(receiver.received[0]?.payload).toMatchObject({ severity: 'critical' });
  });
});

describe('email delivery', () => {
  it('sends the test alert through an SMTP server with the stored password', async () => {
    const mails: { from: string; to: string[]; text: string; user: string }[] = [];
    let user = '';
    const smtp = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _session, callback) {
        user = auth.username ?? '';
        if (auth.password === 'smtp password') return callback(null, { user: auth.username });
        return callback(new Error('wrong password'));
      },
      onData(stream, session, callback) {
        let text = '';
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), text, user });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const port = (smtp.server.address() as AddressInfo).port;
    const { admin } = await consoleWithCluster();
    const added = await admin.call('POST', targets, {
      kind: 'email',
      name: 'on-call mail',
      host: '127.0.0.1',
      port,
      security: 'none',
      user: 'luci',
      password: 'smtp password',
      from: 'luci@example.com',
      to: ['oncall@example.com'],
      events: ['failover'],
    });
    expect(added.statusCode).toBe(201);
    expect(added.body).not.toContain('smtp password');
    const tested = await admin.call('POST', `${targets}/${added.json().id}/test`, {});
    expect(tested.json().delivery).toMatchObject({ state: 'delivered', lastStatus: 250 });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: 'luci@example.com',
      to: ['oncall@example.com'],
      user: 'luci',
    });
    expect(mails[0]?.text).toContain('"schema": "quorate.alert/1"');
  });
});
