import { expect, type Page, test } from '@playwright/test';
import { type FailoverCluster, msSince, NODE_NAMES, now } from '@quorate/e2e';
import {
  addClusterByAgent,
  consoleWithAgents,
  firstStartAndSignIn,
  relocateInPage,
  screenshot,
  serviceRow as serviceRowOf,
} from '../console-helpers.js';

/**
 * The members table's node commands against real agents (issue 10 item 4): the harness's
 * `bench` cluster on three test hosts, luci and Chromium in the console host (as
 * `real-cluster.spec.ts`). Fence powers off the owner of `webservice` through fence_testhost;
 * that host is powered on and rejoins; then Leave makes a node that owns no service leave
 * cleanly. Neither is the console's linked agent (node1) or, for the fence, the leader.
 */
const agentPassword = 'e2e agent password 2';
const waitMs = 60_000;

const run = consoleWithAgents({ tokenMs: 1000, agentPassword, name: 'console-node-actions' });
let cluster: FailoverCluster;
let page: Page;

test.beforeAll(() => {
  ({ cluster, page } = run);
});

const serviceRow = () => serviceRowOf(page, 'service:webservice');
const owner = async () =>
  (await serviceRow().locator('[data-test=service-owner]').textContent()) ?? '';
const memberState = (name: string) =>
  page
    .locator('[data-test=member-row]', {
      has: page.locator('[data-test=member-name]', { hasText: name }),
    })
    .locator('[data-test=member-state]');
const eventMessages = (text: string) =>
  page.locator('[data-test=event-message]', { hasText: text });
const quorumState = () => page.locator('[data-test=quorum-state]');
const allOnline = ['Online', 'Online', 'Online'];

test('first start, add the cluster, three members online and webservice started', async () => {
  await firstStartAndSignIn(page);
  await addClusterByAgent(page, cluster.network.host('node1').address, agentPassword, 3);
  await page.locator('[data-test=cluster-name]').click();
  await expect(page.locator('[data-test=member-state]')).toContainText(allOnline);
  await expect(serviceRow().locator('[data-test=service-state]')).toContainText('started');
});

test('Fence on the owner of webservice: fenced, and the service started elsewhere', async () => {
  // The leader fences (a fence of itself is an election first); node1 carries the console's link.
  const victim = NODE_NAMES.find((name) => name !== 'node1' && name !== cluster.leader()) ?? '';
  if ((await owner()) !== victim) {
    await relocateInPage(page, 'service:webservice', victim);
    await expect(serviceRow().locator('[data-test=service-state]')).toContainText('started');
  }
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await page.locator(`[data-test=node-fence-${victim}]`).click();
  const dialog = page.locator('[data-test=node-fence-dialog]');
  await expect(dialog).toContainText(`Fence ${victim} now?`);
  await expect(dialog).toContainText(
    `${victim} will be powered off or cut off by its fence device`,
  );
  const asked = now();
  await page.locator('[data-test=node-fence-dialog-confirm]').click();
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    new RegExp(`^fence_node ${victim}: `),
    { timeout: waitMs },
  );
  await expect(memberState(victim)).toHaveText(/Offline, fenced/, { timeout: waitMs });
  await expect(serviceRow().locator('[data-test=service-owner]')).not.toHaveText(victim, {
    timeout: waitMs,
  });
  await expect(serviceRow().locator('[data-test=service-state]')).toContainText('started', {
    timeout: waitMs,
  });
  await expect(eventMessages(`${victim} was fenced`)).toHaveCount(1);
  const elsewhere = await cluster.waitForAnswer(
    (node) => node !== victim && node !== '-',
    asked,
    waitMs,
  );
  await expect(quorumState()).toHaveText(/^\W*Quorate$/);
  await screenshot(page, 'console-real-node-fenced');
  console.log(
    `fence_node ${victim}: page served by ${elsewhere.value} ${msSince(asked, elsewhere.atNs)} ms after the confirmation`,
  );
  expect(loads).toEqual([]);

  // Powered on, its agent started again, it rejoins: the next test needs three members.
  await cluster.network.powerOn(victim);
  cluster.startAgent(victim);
  await expect(page.locator('[data-test=member-state]')).toContainText(allOnline, {
    timeout: waitMs,
  });
});

test('Leave on a node that owns no service: offline and left without a reload, still quorate', async () => {
  await expect(serviceRow().locator('[data-test=service-state]')).toContainText('started');
  const running = await owner();
  const leaver = NODE_NAMES.find((name) => name !== running && name !== 'node1') ?? '';
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));

  await page.locator(`[data-test=node-leave-${leaver}]`).click();
  await expect(page.locator('[data-test=node-leave-dialog]')).toContainText(
    `Make ${leaver} leave the cluster?`,
  );
  const asked = now();
  await page.locator('[data-test=node-leave-dialog-confirm]').click();
  // "leaving the cluster", or "accepted; …" when the agent closed the link before answering.
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    new RegExp(`^cman_tool leave on ${leaver}: (leaving the cluster|accepted; )`),
  );
  await expect(memberState(leaver)).toHaveText(/Offline, left/, { timeout: waitMs });
  const shownMs = msSince(asked, now());
  await expect(quorumState()).toHaveText(/^\W*Quorate$/);
  await expect(eventMessages(`${leaver} left the cluster`)).toHaveCount(1);
  await expect(eventMessages(`Fencing ${leaver}`)).toHaveCount(0);
  // The agent itself ends after a clean leave, with status 0.
  expect(await cluster.agent(leaver).waitForExit(waitMs)).toEqual({ code: 0, signal: null });
  await expect(serviceRow().locator('[data-test=service-owner]')).toHaveText(running);
  await screenshot(page, 'console-real-node-left');
  console.log(`leave of ${leaver}: shown as left ${shownMs} ms after the confirmation`);
  expect(loads).toEqual([]);
});
