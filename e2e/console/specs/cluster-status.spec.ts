import { expect, type Page } from '@playwright/test';
import { FakeCluster } from '@quorate/luci/testing';
import {
  adminPassword,
  callAsPage,
  chromiumMissing,
  collectPageErrors,
  forbidDialogs,
  screenshot,
  signIn,
} from '../console-helpers.js';
import { fakeConsoleTest, firstStartWithFakeCluster } from './fake-console.js';

/**
 * The cluster status page against a cluster in memory (`FakeCluster`): everything the page
 * does that needs no real agents. The same flow against real agents on test hosts is
 * `real-cluster.spec.ts`.
 */
const hostileService = 'service:<img src=x onerror=alert(1)>';

const test = fakeConsoleTest(
  () => new FakeCluster({ services: { 'service:webservice': 'node2', [hostileService]: 'node3' } }),
);

test.describe.configure({ mode: 'serial' });
test.skip(chromiumMissing !== null, chromiumMissing ?? '');

const serviceRow = (page: Page, id: string) =>
  page.locator('[data-test=service-row]', {
    has: page.locator('[data-test=service-name]', { hasText: id }),
  });
const memberRow = (page: Page, name: string) =>
  page.locator('[data-test=member-row]', {
    has: page.locator('[data-test=member-name]', { hasText: name }),
  });

async function openCluster(page: Page) {
  await page.locator('[data-test=cluster-name]', { hasText: 'webcluster' }).click();
  await expect(page.locator('[data-test=cluster-title]')).toHaveText('webcluster');
}

/** Picks a member in the service's row, clicks the action, confirms; returns the notice text. */
async function act(page: Page, service: string, action: string, node?: string) {
  const row = serviceRow(page, service);
  if (node) await row.locator('[data-test=service-target]').selectOption(node);
  await row.locator(`[data-test=service-${action}]`).click();
  await page.locator('[data-test=service-action-dialog-confirm]').click();
}

test('first start, add the cluster, see three members and webservice started', async ({ page }) => {
  const errors = collectPageErrors(page);
  const dialogs = forbidDialogs(page);
  await firstStartWithFakeCluster(page);
  await expect(page.locator('[data-test=cluster-quorum]')).toContainText('Quorate');
  await screenshot(page, 'console-cluster-homebase');

  await openCluster(page);
  await expect(page.locator('[data-test=member-row]')).toHaveCount(3);
  await expect(page.locator('[data-test=member-state]')).toContainText([
    'Online',
    'Online',
    'Online',
  ]);
  const web = serviceRow(page, 'service:webservice');
  await expect(web.locator('[data-test=service-state]')).toContainText('started');
  await expect(web.locator('[data-test=service-owner]')).toHaveText('node2');
  // A service named like markup is text: no image element, no script ran.
  await expect(serviceRow(page, hostileService).locator('[data-test=service-name]')).toHaveText(
    hostileService,
  );
  await expect(page.locator('img')).toHaveCount(0);
  expect(dialogs.opened).toEqual([]);
  await screenshot(page, 'console-cluster-status');
  expect(errors).toEqual([]);
});

test('relocate to node1 succeeds; locked it is refused with the reason; unlocked it works', async ({
  page,
  fake,
}) => {
  await signIn(page, 'admin', adminPassword);
  await openCluster(page);
  await act(page, 'service:webservice', 'relocate', 'node1');
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'Trying to relocate service:webservice to node1...Success',
  );
  await expect(page.locator('[data-test=action-outcome-detail]')).toHaveText(
    'service:webservice is now running on node1',
  );
  const web = serviceRow(page, 'service:webservice');
  await expect(web.locator('[data-test=service-owner]')).toHaveText('node1');
  await expect(web.locator('[data-test=service-last-owner]')).toHaveText('node2');

  await page.locator('[data-test=lock]').click();
  await page.locator('[data-test=lock-dialog-confirm]').click();
  await expect(page.locator('[data-test=lock-state]')).toContainText('Resource groups locked');
  await act(page, 'service:webservice', 'relocate', 'node3');
  await expect(page.locator('[data-test=action-outcome]')).toHaveAttribute('data-tone', 'bad');
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'Trying to relocate service:webservice to node3...Failure: resource groups are locked (clusvcadm -u unlocks them)',
  );
  await expect(web.locator('[data-test=service-owner]')).toHaveText('node1');

  await page.locator('[data-test=unlock]').click();
  await page.locator('[data-test=lock-dialog-confirm]').click();
  await expect(page.locator('[data-test=lock-state]')).toContainText('Resource groups unlocked');
  await act(page, 'service:webservice', 'relocate', 'node2');
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'Trying to relocate service:webservice to node2...Success',
  );
  const relocations = fake.cluster.actions.filter(
    (a) => a.type === 'rm' && a.request.kind === 'relocate',
  );
  expect(relocations).toHaveLength(3);
});

test('the owner powered off: offline, fencing, then started elsewhere, without a reload', async ({
  page,
  fake,
}) => {
  await signIn(page, 'admin', adminPassword);
  await openCluster(page);
  const web = serviceRow(page, 'service:webservice');
  await expect(web.locator('[data-test=service-owner]')).toHaveText('node2');
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));

  fake.cluster.powerOff('node2');
  await expect(memberRow(page, 'node2').locator('[data-test=member-state]')).toContainText(
    'Fencing',
  );
  await expect(web.locator('[data-test=service-state]')).toContainText('recovering');
  await expect(page.locator('[data-test=event-message]').first()).toHaveText(
    'service:webservice is recovering (last on node2)',
  );

  fake.cluster.recover('node2', 'node3');
  await expect(web.locator('[data-test=service-state]')).toContainText('started');
  await expect(web.locator('[data-test=service-owner]')).toHaveText('node3');
  await expect(memberRow(page, 'node2').locator('[data-test=member-state]')).toContainText(
    'Offline, fenced',
  );
  await expect(page.locator('[data-test=event-message]')).toContainText([
    'service:webservice started on node3',
    'node2 was fenced',
    'service:webservice is recovering (last on node2)',
    'Fencing node2: its services recover once the fence succeeds',
    'node2 is offline',
  ]);
  await screenshot(page, 'console-cluster-fenced');
  expect(loads).toEqual([]);
});

test('a view-only user sees the cluster and can change nothing', async ({ page, browser }) => {
  await signIn(page, 'admin', adminPassword);
  const created = await callAsPage(page, 'POST', '/api/users', {
    name: 'watcher',
    password: 'watcher password 1',
  });
  expect(created.status).toBe(201);
  const roles = await callAsPage(page, 'PUT', '/api/users/watcher/roles', {
    roles: { webcluster: ['view'] },
  });
  expect(roles.status).toBe(200);

  const context = await browser.newContext();
  const viewer = await context.newPage();
  await signIn(viewer, 'watcher', 'watcher password 1');
  await openCluster(viewer);
  await expect(viewer.locator('[data-test=service-row]')).toHaveCount(2);
  await expect(viewer.locator('[data-test=member-row]')).toHaveCount(3);
  await expect(viewer.locator('[data-test=events-list]')).toBeVisible();
  for (const control of [
    'service-target',
    'service-relocate',
    'service-restart',
    'lock',
    'unlock',
  ]) {
    await expect(viewer.locator(`[data-test=${control}]`)).toHaveCount(0);
  }
  await expect(viewer.locator('[data-test=member-fence-ack]')).toHaveCount(0);
  await expect(viewer.locator('[data-test^=node-leave-]')).toHaveCount(0);
  await expect(viewer.locator('[data-test^=node-fence-]')).toHaveCount(0);
  await screenshot(viewer, 'console-cluster-view-only');
  const service = encodeURIComponent('service:webservice');
  const relocate = await callAsPage(
    viewer,
    'POST',
    `/api/clusters/webcluster/services/${service}/relocate`,
    { node: 'node2' },
  );
  expect(relocate.status).toBe(403);
  const lock = await callAsPage(viewer, 'POST', '/api/clusters/webcluster/lock', {});
  expect(lock.status).toBe(403);
  await context.close();
});
