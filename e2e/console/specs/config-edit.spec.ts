import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import {
  e2eSkipReason,
  FailoverCluster,
  type HostProcess,
  NODE_NAMES,
  now,
  runPaths,
} from '@quorate/e2e';
import {
  adminPassword,
  callAsPage,
  chromiumArgs,
  chromiumMissing,
  chromiumPath,
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
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const agentPassword = 'e2e agent password 1';
const consolePort = 8084;
const waitMs = 60_000;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
const skipReason = chromiumMissing ?? e2eSkipReason() ?? null;
test.skip(skipReason !== null, skipReason ?? '');

let cluster: FailoverCluster;
let luci: HostProcess;
let browser: Browser;
let page: Page;
/** The harness's floating address and web script, which the new webservice uses again. */
let floating = '';
let webScript = '';

async function startConsole(): Promise<string> {
  const host = cluster.network.host('console');
  const dataDir = join(runPaths(cluster.network.runId).root, 'luci');
  const args = [join(repo, 'apps/luci/dist/main.js'), '--data-dir', dataDir];
  args.push('--host', host.address, '--port', String(consolePort));
  args.push('--web-dir', join(repo, 'apps/web/dist'));
  luci = cluster.network.spawn('console', process.execPath, args, {
    env: { ...process.env, LUCI_LOG_LEVEL: 'info' },
  });
  await luci.waitForLine(/console ready/, 30_000);
  return `https://${host.address}:${consolePort}`;
}

async function launchInConsoleHost(baseURL: string): Promise<Page> {
  const wrapper = join(runPaths(cluster.network.runId).root, 'chromium-in-console');
  const namespace = cluster.network.host('console').namespace;
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec nsenter --net=/run/netns/${namespace} -- ${chromiumPath} "$@"\n`,
    { mode: 0o755 },
  );
  browser = await chromium.launch({ executablePath: wrapper, args: chromiumArgs });
  const context = await browser.newContext({
    baseURL,
    ignoreHTTPSErrors: true,
    viewport: { width: 1400, height: 1000 },
  });
  return context.newPage();
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await FailoverCluster.start(1000, waitMs, { console: true });
  const ricci = join(repo, 'bin/ricci');
  for (const node of NODE_NAMES) {
    const set = await cluster.network.exec(node, process.execPath, [ricci, 'password'], {
      input: `${agentPassword}\n`,
    });
    if (set.code !== 0) throw new Error(`${node}: ricci password: ${set.stderr}`);
  }
  page = await launchInConsoleHost(await startConsole());
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a hook's fixtures from this pattern.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus || !page) return;
  await screenshot(
    page,
    `console-config-failed-${testInfo.title.slice(0, 20).replace(/\W+/g, '-')}`,
  );
  console.log(`luci said:\n${luci?.output().split('\n').slice(-40).join('\n')}`);
});

test.afterAll(async () => {
  await browser?.close();
  luci?.kill();
  await cluster?.close();
});

/** The committed config_version, asked of the console (which asks the agents). */
async function committedVersion(): Promise<number> {
  const response = await callAsPage(page, 'GET', '/api/clusters/bench/config');
  expect(response.status).toBe(200);
  return (JSON.parse(response.body) as { version: number }).version;
}

const shownVersion = () => page.locator('[data-test=config-version]');

/** Reviews the change the form produced and sends it: the version shown goes one up. */
async function reviewAndSend(expectAdded: string) {
  const review = page.locator('[data-test=config-review]');
  await expect(review.locator('[data-test=config-diff]')).toContainText(expectAdded);
  const before = Number(await shownVersion().textContent());
  await expect(review.locator('[data-test=config-review-version]')).toHaveText(String(before + 1));
  await review.locator('[data-test=send-to-cluster]').click();
  await expect(page.locator('[data-test=config-outcome]')).toContainText(
    `Configuration version ${before + 1} sent to the cluster and committed.`,
  );
  // The page reads the file again once the live status shows an agent applied the new version.
  await expect(shownVersion()).toHaveText(String(before + 1), { timeout: 15_000 });
}

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
  await page.goto('/');
  await page.locator('[data-test=setup-password]').fill(adminPassword);
  await page.locator('[data-test=setup-confirm]').fill(adminPassword);
  await page.locator('[data-test=setup-submit]').click();
  await page.locator('[data-test=login-user]').fill('admin');
  await page.locator('[data-test=login-password]').fill(adminPassword);
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=add-cluster]').click();
  await page.locator('[data-test=add-cluster-address]').fill(cluster.network.host('node1').address);
  await page.locator('[data-test=add-cluster-password]').fill(agentPassword);
  await page.locator('[data-test=add-cluster-submit]').click();
  await expect(page.locator('[data-test=cluster-members]')).toHaveText('3 of 3 online', {
    timeout: 30_000,
  });
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
