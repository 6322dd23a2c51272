import { expect, type Page } from '@playwright/test';
import { FakeCluster } from '@quorate/luci/testing';
import {
  adminPassword,
  chromiumMissing,
  collectPageErrors,
  firstStartWithCluster,
  screenshot,
  signIn,
} from '../console-helpers.js';
import { fakeConsoleTest } from './fake-console.js';

/**
 * The members table's node commands against a cluster in memory (`FakeCluster`, five nodes so
 * that one leaving and one fenced leave it quorate): Leave and Fence, each behind a
 * confirmation naming the node, with the outcome in the command's words. The same against real
 * agents is `real-node-actions.spec.ts`.
 */
const test = fakeConsoleTest(
  () => new FakeCluster({ nodes: ['node1', 'node2', 'node3', 'node4', 'node5'] }),
);

test.describe.configure({ mode: 'serial' });
test.skip(chromiumMissing !== null, chromiumMissing ?? '');

const memberState = (page: Page, name: string) =>
  page
    .locator('[data-test=member-row]', {
      has: page.locator('[data-test=member-name]', { hasText: name }),
    })
    .locator('[data-test=member-state]');
const webservice = (page: Page) =>
  page.locator('[data-test=service-row]', {
    has: page.locator('[data-test=service-name]', { hasText: 'service:webservice' }),
  });
const eventMessages = (page: Page, text: string) =>
  page.locator('[data-test=event-message]', { hasText: text });

async function openCluster(page: Page) {
  await page.locator('[data-test=cluster-name]', { hasText: 'webcluster' }).click();
  await expect(page.locator('[data-test=cluster-title]')).toHaveText('webcluster');
}

test('Leave: confirmed, node3 shows offline and left, the cluster stays quorate', async ({
  page,
  fake,
}) => {
  const errors = collectPageErrors(page);
  await firstStartWithCluster(page, '192.0.2.1', 'agent password', 5);
  await openCluster(page);
  await expect(page.locator('[data-test^=node-leave-]')).toHaveCount(5);
  await expect(page.locator('[data-test^=node-fence-]')).toHaveCount(5);

  await page.locator('[data-test=node-leave-node3]').click();
  const dialog = page.locator('[data-test=node-leave-dialog]');
  await expect(dialog).toContainText('Make node3 leave the cluster?');
  await page.locator('[data-test=node-leave-dialog-confirm]').click();
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'cman_tool leave on node3: leaving the cluster',
  );
  await expect(memberState(page, 'node3')).toHaveText(/Offline, left/);
  await expect(page.locator('[data-test=quorum-state]')).toHaveText(/^\W*Quorate$/);
  await expect(eventMessages(page, 'node3 left the cluster')).toHaveCount(1);
  await expect(eventMessages(page, 'Fencing node3')).toHaveCount(0);
  // A member that left can be fenced, not asked to leave again; it has no fence to acknowledge.
  const node3 = page.locator('[data-test=member-row]', { hasText: 'node3' });
  await expect(node3.locator('[data-test=node-fence-node3]')).toHaveCount(1);
  await expect(node3.locator('[data-test=node-leave-node3]')).toHaveCount(0);
  await expect(node3.locator('[data-test=member-fence-ack]')).toHaveCount(0);
  expect(fake.cluster.actionsAt.map((asked) => asked.node)).toEqual(['node3']);
  await screenshot(page, 'console-node-left');
  expect(errors).toEqual([]);
});

test('Fence: the confirmation names the node and its fence device; fenced, service elsewhere', async ({
  page,
}) => {
  await signIn(page, 'admin', adminPassword);
  await openCluster(page);
  await expect(webservice(page).locator('[data-test=service-owner]')).toHaveText('node2');
  await page.locator('[data-test=node-fence-node2]').click();
  const dialog = page.locator('[data-test=node-fence-dialog]');
  await expect(dialog).toContainText('Fence node2 now?');
  await expect(dialog).toContainText(
    'node2 will be powered off or cut off by its fence device (fence_node)',
  );
  await page.locator('[data-test=node-fence-dialog-confirm]').click();
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'fence_node node2: fence of node2 succeeded',
  );
  await expect(memberState(page, 'node2')).toHaveText(/Offline, fenced/);
  await expect(webservice(page).locator('[data-test=service-state]')).toContainText('started');
  await expect(webservice(page).locator('[data-test=service-owner]')).not.toHaveText('node2');
  await expect(eventMessages(page, 'node2 was fenced')).toHaveCount(1);
  await screenshot(page, 'console-node-fenced');
});

test('Fence refused by the agent: the failure shows the agent’s message', async ({
  page,
  fake,
}) => {
  fake.cluster.answer = () => ({
    type: 'node',
    ok: false,
    message: 'cman_tool fence: not supported yet by this agent',
  });
  await signIn(page, 'admin', adminPassword);
  await openCluster(page);
  await page.locator('[data-test=node-fence-node4]').click();
  await page.locator('[data-test=node-fence-dialog-confirm]').click();
  await expect(page.locator('[data-test=action-outcome]')).toHaveAttribute('data-tone', 'bad');
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'fence_node node4 failed: cman_tool fence: not supported yet by this agent',
  );
  await expect(memberState(page, 'node4')).toHaveText(/Online/);
});
