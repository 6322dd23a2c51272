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
 * The events timeline, a service's history and a node's agent log, against a cluster in memory:
 * node2 (running webservice) is powered off, fenced and its service recovers on node3; db fails
 * on node1 and restarts on node3; the resource groups are locked and unlocked. The timeline
 * filters by kind, node, service and time; webservice's history shows the failover with its
 * cause; node1's log shows its agent's lines as sent (a secret already redacted by the agent).
 */
const test = fakeConsoleTest(() => {
  const cluster = new FakeCluster({
    services: { 'service:webservice': 'node2', 'service:db': 'node1' },
  });
  cluster.logLines.set('node1', [
    { time: '2026-11-27T08:00:00.000Z', level: 'info', event: 'agent started', fields: {} },
    {
      time: '2026-11-27T08:00:02.000Z',
      level: 'warn',
      event: 'fence device answered slowly',
      fields: { device: 'ipmi-node2', passwd: '[redacted]' },
    },
  ]);
  return cluster;
});

test.describe.configure({ mode: 'serial' });
test.skip(chromiumMissing !== null, chromiumMissing ?? '');

type ClusterStatus = FakeCluster['status'];

const withService = (
  status: ClusterStatus,
  id: string,
  change: Partial<ClusterStatus['services'][number]>,
): ClusterStatus => ({
  ...status,
  services: status.services.map((s) => (s.id === id ? { ...s, ...change } : s)),
});

const messages = (page: Page) => page.locator('[data-test=timeline-message]');

async function signInWithCluster(page: Page) {
  await firstStartWithFakeCluster(page);
  await page.locator('[data-test=cluster-name]', { hasText: 'webcluster' }).click();
}

test('the timeline follows the cluster live and filters by kind, node, service and time', async ({
  page,
  fake,
}) => {
  const errors = collectPageErrors(page);
  await signInWithCluster(page);
  await page.locator('[data-test=cluster-events-link]').click();
  await expect(page.locator('h1')).toContainText('Events');
  await expect(page.locator('[data-test=timeline-empty]')).toBeVisible();

  const cluster = fake.cluster;
  cluster.powerOff('node2');
  cluster.recover('node2', 'node3');
  cluster.update((s) => withService(s, 'service:db', { state: 'failed' }));
  cluster.update((s) => withService(s, 'service:db', { state: 'started', owner: 'node3' }));
  cluster.update((s) => ({ ...s, resourceManager: { ...s.resourceManager, locked: true } }));
  cluster.update((s) => ({ ...s, resourceManager: { ...s.resourceManager, locked: false } }));

  // Newest first, without a reload.
  await expect(messages(page)).toHaveText([
    'Resource groups unlocked',
    'Resource groups locked',
    'service:db started on node3 (was on node1)',
    'service:db is failed on node1',
    'service:webservice started on node3',
    'node2 was fenced',
    'service:webservice is recovering (last on node2)',
    'Fencing node2: its services recover once the fence succeeds',
    'node2 is offline',
  ]);
  await screenshot(page, 'console-event-timeline');

  await page.locator('[data-test=timeline-kind-fencing]').check();
  await expect(messages(page)).toHaveText([
    'node2 was fenced',
    'Fencing node2: its services recover once the fence succeeds',
  ]);
  await page.locator('[data-test=timeline-kind-membership]').check();
  await expect(messages(page)).toHaveCount(3);
  await page.locator('[data-test=timeline-kind-fencing]').uncheck();
  await page.locator('[data-test=timeline-kind-membership]').uncheck();

  await page.locator('[data-test=timeline-node]').selectOption('node1');
  await expect(messages(page)).toHaveText([
    'service:db started on node3 (was on node1)',
    'service:db is failed on node1',
  ]);
  await page.locator('[data-test=timeline-node]').selectOption('');

  await page.locator('[data-test=timeline-service]').fill('service:webservice');
  await expect(messages(page)).toHaveText([
    'service:webservice started on node3',
    'service:webservice is recovering (last on node2)',
  ]);
  await page.locator('[data-test=timeline-service]').fill('');
  await expect(messages(page)).toHaveCount(9);

  // A range that starts tomorrow holds nothing; one that ends tomorrow holds everything.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 19);
  await page.locator('[data-test=timeline-from]').fill(local);
  await expect(page.locator('[data-test=timeline-empty]')).toBeVisible();
  await page.locator('[data-test=timeline-from]').fill('');
  await page.locator('[data-test=timeline-to]').fill(local);
  await expect(messages(page)).toHaveCount(9);
  expect(errors).toEqual([]);
});

test('a service’s history shows where it ran and its failover with the cause', async ({ page }) => {
  const errors = collectPageErrors(page);
  await signIn(page, 'admin', adminPassword);
  await page.locator('[data-test=cluster-name]', { hasText: 'webcluster' }).click();
  await page.locator('[data-test=cluster-events-link]').click();
  const failover = page.locator('[data-test=timeline-event]', {
    hasText: 'service:webservice started on node3',
  });
  await failover.locator('[data-test=timeline-service-link]').click();
  await expect(page.locator('[data-test=history-title]')).toHaveText('service:webservice');
  const row = page.locator('[data-test=history-failover]');
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-test=failover-from]')).toHaveText('node2');
  await expect(row.locator('[data-test=failover-to]')).toHaveText('node3');
  await expect(row.locator('[data-test=failover-cause]')).toHaveAttribute(
    'data-cause',
    'owner-lost',
  );
  await expect(row.locator('[data-test=failover-duration]')).toContainText(' s');
  await expect(page.locator('[data-test=history-chart] [data-test=history-lane]')).toHaveCount(2);
  await expect(page.locator('[data-test=history-span][data-state=started]')).toHaveCount(1);
  await screenshot(page, 'console-service-history');

  // The chart's node links lead to that node's agent log, as its agent sent it.
  await row.locator('[data-test=failover-to] a').click();
  await expect(page.locator('[data-test=logs-title]')).toHaveText('node3');
  await expect(page.locator('[data-test=logs-empty]')).toBeVisible();
  await page.locator('[data-test=logs-node]').selectOption('node1');
  await expect(page.locator('[data-test=log-event]')).toHaveText([
    'fence device answered slowly',
    'agent started',
  ]);
  await expect(page.locator('[data-test=log-fields]').first()).toContainText('[redacted]');
  await page.locator('[data-test=logs-node]').selectOption('node2');
  await expect(page.locator('[data-test=logs-error]')).toContainText(
    "node2's agent did not answer",
  );
  // The session check before signing in answers 401, node2's dark agent 503: nothing else.
  const unexpected = errors.filter((e) => !/status of (401|503)/.test(e));
  expect(unexpected).toEqual([]);
});
