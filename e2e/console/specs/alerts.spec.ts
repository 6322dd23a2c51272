import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page } from '@playwright/test';
import { FakeCluster } from '@quorate/luci/testing';
import {
  adminPassword,
  chromiumMissing,
  collectPageErrors,
  screenshot,
  signIn,
} from '../console-helpers.js';
import { fakeConsoleTest, firstStartWithFakeCluster } from './fake-console.js';

/**
 * Alerts in the browser against a cluster in memory: a webhook whose receiver runs on the
 * console's host (this process, on loopback, like the fake console itself) is added, tested,
 * and then gets a failover alert when the fake cluster's owner of webservice is powered off.
 */
const secret = 'e2e webhook shared secret';

interface Hook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on loopback that records every POST and answers 204. */
async function startReceiver() {
  const received: Hook[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/quorate-alerts`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const test = fakeConsoleTest(
  () => new FakeCluster({ services: { 'service:webservice': 'node2' } }),
).extend<object, { receiver: Receiver }>({
  receiver: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's needs from this pattern.
    async ({}, use) => {
      const receiver = await startReceiver();
      await use(receiver);
      await receiver.close();
    },
    { scope: 'worker' },
  ],
});

test.describe.configure({ mode: 'serial' });
test.skip(chromiumMissing !== null, chromiumMissing ?? '');

async function openAlerts(page: Page) {
  await page.locator('[data-test=cluster-name]', { hasText: 'webcluster' }).click();
  await page.locator('[data-test=cluster-alerts-link]').click();
  await expect(page.locator('h1')).toContainText('Alerts');
}

/** The payloads received, as luci's README documents them (`quorate.alert/1`). */
interface Payload {
  readonly schema: string;
  readonly kind: string;
  readonly cluster: string;
  readonly subject: string | null;
  readonly details: Record<string, unknown>;
}
const payloads = (receiver: Receiver): Payload[] =>
  receiver.received.map((hook) => JSON.parse(hook.body) as Payload);

test('add a webhook, send a test alert, see it delivered in the log', async ({
  page,
  receiver,
}) => {
  const errors = collectPageErrors(page);
  await firstStartWithFakeCluster(page);
  await openAlerts(page);
  await expect(page.locator('[data-test=targets-empty]')).toBeVisible();

  await page.locator('[data-test=target-add] summary').click();
  await page.locator('[data-test=target-name]').fill('ops receiver');
  await page.locator('[data-test=target-url]').fill('https://user:pw@example.com/');
  await page.locator('[data-test=target-submit]').click();
  await expect(page.locator('[data-test=target-url-error]')).toContainText('no user or password');
  await page.locator('[data-test=target-url]').fill(receiver.url);
  await page.locator('[data-test=target-secret]').fill(secret);
  await page.locator('[data-test=target-submit]').click();
  const row = page.locator('[data-test=target-row]');
  await expect(row.locator('[data-test=target-row-name]')).toHaveText('ops receiver');
  await expect(page.locator('body')).not.toContainText(secret);

  await row.locator('[data-test=target-test]').click();
  await expect(page.locator('[data-test=alert-test-outcome]')).toContainText('delivered');
  const delivery = page.locator('[data-test=delivery-row]').first();
  await expect(delivery.locator('[data-test=delivery-state]')).toContainText('delivered');
  await expect(delivery.locator('[data-test=delivery-kind]')).toContainText('Test');
  await expect(delivery.locator('[data-test=delivery-answer]')).toHaveText('204');
  await expect(delivery.locator('[data-test=delivery-attempts]')).toHaveText('1');
  const [test] = payloads(receiver);
  expect(test).toMatchObject({ schema: 'quorate.alert/1', kind: 'test', cluster: 'webcluster' });
  const hook = receiver.received[0];
  const signature = `sha256=${createHmac('sha256', secret)
    .update(hook?.body ?? '')
    .digest('hex')}`;
  expect(hook?.headers['x-quorate-signature-256']).toBe(signature);
  await screenshot(page, 'console-alerts');
  // The refused URL's 400 (and the session probe's 401) are answers, not script errors.
  expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
});

test('the owner of webservice powered off: a failover alert reaches the receiver and the log', async ({
  page,
  fake,
  receiver,
}) => {
  await signIn(page, 'admin', adminPassword);
  await openAlerts(page);
  const powerOff = Date.now();
  fake.cluster.powerOff('node2');
  fake.cluster.recover('node2', 'node3');
  await expect
    .poll(() => payloads(receiver).find((p) => p.kind === 'failover'))
    .toMatchObject({
      subject: 'service:webservice',
      details: { kind: 'failover', from: 'node2', to: 'node3', cause: 'owner-lost' },
    });
  console.log(`fake failover → webhook received after ${Date.now() - powerOff} ms`);
  const failover = page.locator('[data-test=delivery-row]', {
    has: page.locator('[data-test=delivery-kind]', { hasText: 'Failover' }),
  });
  await expect(failover.locator('[data-test=delivery-state]')).toContainText('delivered');
  await expect(
    page.locator('[data-test=delivery-row]', {
      has: page.locator('[data-test=delivery-kind]', { hasText: 'Fencing' }),
    }),
  ).toHaveCount(1);
  await screenshot(page, 'console-alerts-failover');
});
