import { expect, type Page, test } from '@playwright/test';
import { type FailoverCluster, NODE_NAMES, now } from '@quorate/e2e';
import {
  callAsPage,
  committedConfigVersion,
  consoleWithAgents,
  firstStartWithCluster,
  reviewAndSend as reviewAndSendIn,
  screenshot,
} from '../console-helpers.js';

/**
 * Issue 11 (items 2–3) against real agents on test hosts: the seed walkthrough's configuration
 * in the browser. The harness's cluster `bench` starts with `webservice`; the test deletes it
 * through the console, then adds the manual fence device `meatware` and a level using it on
 * every node, an IP and a script resource, and creates `webservice` again from both, each change
 * reviewed as a diff and sent. Bad input in every form stands at its field and sends nothing; a
 * device in use cannot be deleted. The console and Chromium run in the console test host.
 */
const agentPassword = 'e2e agent password 1';
const waitMs = 60_000;

const run = consoleWithAgents({ tokenMs: 1000, agentPassword, name: 'console-config' });
let cluster: FailoverCluster;
let page: Page;
/** The harness's floating address and web script, which the new webservice uses again. */
let floating = '';
let webScript = '';

test.beforeAll(() => {
  ({ cluster, page } = run);
});

const committedVersion = () => committedConfigVersion(page);

const shownVersion = () => page.locator('[data-test=config-version]');

/** Reviews the change the form produced and sends it: the version shown goes one up. */
const reviewAndSend = (expectAdded: string) => reviewAndSendIn(page, expectAdded);

/** A form's bad input: the message at the field, and the cluster still at the same version. */
async function refusedAtField(save: string, errorTestId: string, message: RegExp) {
  const version = await committedVersion();
  await page.locator(`[data-test=${save}]`).click();
  await expect(page.locator(`[data-test=${errorTestId}]`)).toHaveText(message);
  await expect(page.locator('[data-test=config-review]')).not.toBeVisible();
  expect(await committedVersion()).toBe(version);
}

const tab = (id: string) => page.locator(`[data-test=config-tab-${id}]`).click();

test('sign in, add the cluster and open its configuration', async () => {
  await firstStartWithCluster(page, cluster.network.host('node1').address, agentPassword, 3);
  await page.locator('[data-test=cluster-name]').click();
  await page.locator('[data-test=cluster-config-link]').click();
  // The first open has the agents run every installed agent's meta-data: seconds on a busy host.
  await expect(shownVersion()).toHaveText('1', { timeout: waitMs });
  const { text } = JSON.parse(
    (await callAsPage(page, 'GET', '/api/clusters/bench/config')).body,
  ) as { text: string };
  floating = /<ip address="([^"]+)"/.exec(text)?.[1] ?? '';
  webScript = /<script name="web" file="([^"]+)"/.exec(text)?.[1] ?? '';
  expect(floating).not.toBe('');
  expect(webScript).not.toBe('');
});

test('delete the harness’s webservice through the console', async () => {
  await tab('services');
  const row = page.locator('[data-test=service-config-row][data-name=webservice]');
  await row.locator('[data-test=service-delete]').click();
  await page.locator('[data-test=service-delete-dialog-confirm]').click();
  await reviewAndSend('');
  await expect(page.locator('[data-test=services-empty]')).toBeVisible();
});

test('fence device meatware: bad input at the field, then added', async () => {
  await tab('fence');
  await page.locator('[data-test=fence-device-add]').click();
  await page.locator('[data-test=fence-device-agent]').selectOption('fence_manual');
  await refusedAtField('fence-device-form-save', 'fence-device-name-error', /must not be empty/);
  await page.locator('[data-test=fence-device-name]').fill('testhost');
  await refusedAtField('fence-device-form-save', 'fence-device-name-error', /already exists/);
  await page.locator('[data-test=fence-device-name]').fill('meatware');
  await page.locator('[data-test=fence-device-form-save]').click();
  await reviewAndSend('<fencedevice name="meatware" agent="fence_manual"/>');
  await expect(page.locator('[data-test=fence-device-row][data-name=meatware]')).toBeVisible();
});

test('meatware as a second fence level on every node; bad votes refused at the field', async () => {
  await tab('nodes');
  const edit = (node: string) =>
    page.locator(`[data-test=node-row][data-name=${node}] [data-test=node-edit]`).click();
  await edit('node1');
  await page.locator('[data-test=node-votes]').fill('many');
  await refusedAtField('node-form-save', 'node-votes-error', /votes must be an integer/);
  await page.locator('[data-test=node-votes]').fill('');
  for (const [i, node] of NODE_NAMES.entries()) {
    if (i > 0) await edit(node);
    const form = page.locator('[data-test=node-form]');
    await form.locator('[data-test=fence-level-add]').click();
    const level = form.locator('[data-test=fence-level]').nth(1);
    await level.locator('[data-test=fence-level-device]').selectOption('meatware');
    await form.locator('[data-test=node-form-save]').click();
    await reviewAndSend('<device name="meatware"/>');
    await expect(
      page.locator(`[data-test=node-row][data-name=${node}] [data-test=node-fence-levels]`),
    ).toHaveText('1. power: testhost; 2. 2: meatware');
  }
});

test('failover domain: bad name and priority refused at their fields, nothing sent', async () => {
  await tab('domains');
  await page.locator('[data-test=domain-add]').click();
  await page.locator('[data-test=domain-name]').fill('bad"name');
  await refusedAtField('domain-form-save', 'domain-name-error', /must not contain quotes/);
  await page.locator('[data-test=domain-name]').fill('prefer1');
  await page.locator('[data-test=domain-ordered]').check();
  await page.locator('[data-test=domain-member-node1]').check();
  await page.locator('[data-test=domain-priority-node1]').fill('0');
  await refusedAtField(
    'domain-form-save',
    'domain-priority-error',
    /priority must be an integer 1–100/,
  );
  await page.locator('[data-test=domain-form] button', { hasText: 'Cancel' }).click();
});

test('an IP address and a script resource, from their agents’ meta-data', async () => {
  await tab('resources');
  await page.locator('[data-test=resource-add]').click();
  await page.locator('[data-test=resource-type]').selectOption('ip');
  await page.locator('[data-test=resource-param-address]').fill('10.1.2.300');
  await page.locator('[data-test=resource-param-advanced] summary').click();
  await refusedAtField('resource-form-save', 'resource-param-address-error', /address/);
  await screenshot(page, 'console-metadata-form');
  await page.locator('[data-test=resource-param-address]').fill(floating);
  await page.locator('[data-test=resource-param-monitor_link]').selectOption('1');
  await page.locator('[data-test=resource-form-save]').click();
  await reviewAndSend(`<ip address="${floating}" monitor_link="1"/>`);

  await page.locator('[data-test=resource-add]').click();
  await page.locator('[data-test=resource-type]').selectOption('script');
  await page.locator('[data-test=resource-param-name]').fill('web');
  await page.locator('[data-test=resource-param-file]').fill(webScript);
  await page.locator('[data-test=resource-form-save]').click();
  await reviewAndSend(`<script name="web" file="${webScript}"/>`);
  await expect(page.locator('[data-test=resource-row]')).toHaveCount(2);
});

test('service webservice from both resources: start order, diff, sent, started', async () => {
  await tab('services');
  await page.locator('[data-test=service-add]').click();
  const form = page.locator('[data-test=service-form]');
  await form.locator('[data-test=service-recovery]').selectOption('restart');
  await form.locator('[data-test=service-restart-expire-time]').fill('soon');
  await refusedAtField('service-form-save', 'service-name-error', /must not be empty/);
  await form.locator('[data-test=service-name]').fill('webservice');
  await refusedAtField(
    'service-form-save',
    'service-restart-expire-time-error',
    /must be a number of seconds/,
  );
  await form.locator('[data-test=service-restart-expire-time]').fill('');
  await form.locator('[data-test=service-recovery]').selectOption('relocate');
  // The script first and the IP second: rgmanager's typed order still starts the IP first.
  await form.locator('[data-test=tree-add-ref]').selectOption({ label: 'script web' });
  await form.locator('[data-test=tree-add-ref-button]').click();
  await form.locator('[data-test=tree-add-ref]').selectOption({ label: `ip ${floating}` });
  await form.locator('[data-test=tree-add-ref-button]').click();
  await expect(form.locator('[data-test=tree-item-label]')).toHaveText([
    'script web (global)',
    `ip ${floating} (global)`,
  ]);
  await expect(form.locator('[data-test=service-start-order] li')).toHaveText([
    `ip ${floating}`,
    'script web',
  ]);
  await screenshot(page, 'console-service-tree-editor');
  const asked = now();
  await form.locator('[data-test=service-form-save]').click();
  await expect(page.locator('[data-test=config-diff]')).toBeVisible();
  await screenshot(page, 'console-config-diff');
  await reviewAndSend('<service name="webservice" recovery="relocate">');
  await expect(page.locator('[data-test=service-config-row][data-name=webservice]')).toBeVisible();
  await cluster.waitForAnswer((node) => NODE_NAMES.includes(node), asked, waitMs);
});

test('deleting a device in use is refused, naming the nodes that use it', async () => {
  await tab('fence');
  const version = await committedVersion();
  await page
    .locator('[data-test=fence-device-row][data-name=meatware] [data-test=fence-device-delete]')
    .click();
  await page.locator('[data-test=fence-device-delete-dialog-confirm]').click();
  await expect(page.locator('[data-test=fence-device-delete-dialog-error]')).toContainText(
    'fence device "meatware" is used by node1, node2, node3',
  );
  expect(await committedVersion()).toBe(version);
});
