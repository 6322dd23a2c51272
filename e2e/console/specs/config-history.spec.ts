import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type FailoverCluster, NODE_NAMES } from '@quorate/e2e';
import {
  committedConfigVersion,
  consoleWithAgents,
  firstStartWithCluster,
  screenshot,
} from '../console-helpers.js';

/**
 * Issue 12 item 1 ("done when") against real agents on test hosts: the token changed in the
 * properties form, then rolled back from the history; the history lists both changes and the
 * diff between them shows the token going back, and every agent runs the rolled-back file
 * (its cluster.conf and `cman_tool status`). An uploaded broken cluster.conf is refused with
 * the validator's errors and nothing is sent. The console and Chromium run in the console
 * test host, as in config-edit.spec.ts.
 */
const agentPassword = 'e2e agent password 1';
const waitMs = 60_000;
/** The harness's token; the test changes it to this and back. */
const harnessTokenMs = 1000;
const changedTokenMs = 1500;

const run = consoleWithAgents({ tokenMs: harnessTokenMs, agentPassword, name: 'console-history' });
let cluster: FailoverCluster;
let page: Page;

test.beforeAll(() => {
  ({ cluster, page } = run);
  // A script error blanks the page: print it with the failure rather than a missing element.
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
});

const committedVersion = () => committedConfigVersion(page);

const shownVersion = () => page.locator('[data-test=config-version]');
const tab = (id: string) => page.locator(`[data-test=config-tab-${id}]`).click();
const review = () => page.locator('[data-test=config-review]');

/** The file each node's agent wrote into its /etc/cluster (read through the host's folder). */
function nodeFile(node: string): string {
  const dir = cluster.network.host(node).paths.mounts['/etc/cluster'];
  return readFileSync(join(dir, 'cluster.conf'), 'utf8');
}

/** Every agent applied `version` with `tokenMs`: its file and `cman_tool status` say so. */
async function everyAgentRuns(version: number, tokenMs: number) {
  for (const node of NODE_NAMES) {
    await expect
      .poll(() => nodeFile(node), { timeout: 15_000 })
      .toContain(`config_version="${version}"`);
    expect(nodeFile(node)).toContain(`<totem token="${tokenMs}"/>`);
    // Polled: one run saw a node's control socket refuse a connection for a moment.
    await expect
      .poll(async () => {
        const status = await cluster.command(node, 'cman_tool', ['status'], 15_000);
        return status.code === 0 ? status.stdout : `exit ${status.code}: ${status.stderr}`;
      })
      .toMatch(new RegExp(`Config Version: ${version}\\b`));
  }
}

test('sign in, add the cluster and open its configuration', async () => {
  await firstStartWithCluster(page, cluster.network.host('node1').address, agentPassword, 3);
  await page.locator('[data-test=cluster-name]').click();
  await page.locator('[data-test=cluster-config-link]').click();
  // The first open has the agents run every installed agent's meta-data: seconds on a busy host.
  await expect(shownVersion()).toHaveText('1', { timeout: waitMs });
});

test('a token out of range is refused at its field and nothing is sent', async () => {
  await tab('properties');
  const token = page.locator('[data-test=property-token]');
  await expect(token).toHaveValue(String(harnessTokenMs));
  await token.fill('50');
  await page.locator('[data-test=properties-save]').click();
  await expect(page.locator('[data-test=property-token-error]')).toContainText(
    'token must be between 100 and 60000 milliseconds',
  );
  await expect(page.locator('dialog[data-test=config-review][open]')).toHaveCount(0);
  expect(await committedVersion()).toBe(1);
});

test('change the token in properties: reviewed as a diff, sent, applied by every agent', async () => {
  await page.locator('[data-test=property-token]').fill(String(changedTokenMs));
  await page.locator('[data-test=properties-save]').click();
  const diff = review().locator('[data-test=config-diff]');
  await expect(diff.locator('[data-test=diff-removed]', { hasText: 'token' })).toContainText(
    `<totem token="${harnessTokenMs}"/>`,
  );
  await expect(diff.locator('[data-test=diff-added]', { hasText: 'token' })).toContainText(
    `<totem token="${changedTokenMs}"/>`,
  );
  await expect(review().locator('[data-test=config-review-version]')).toHaveText('2');
  await review().locator('[data-test=send-to-cluster]').click();
  await expect(page.locator('[data-test=config-outcome]')).toContainText(
    'Configuration version 2 sent to the cluster and committed.',
  );
  await expect(shownVersion()).toHaveText('2', { timeout: 15_000 });
  await everyAgentRuns(2, changedTokenMs);
});

test('roll back from the history: both changes listed, the diff shows them, the cluster runs the old token', async () => {
  await tab('history');
  const row = (version: number) =>
    page.locator(`[data-test=history-row][data-version="${version}"]`);
  await expect(row(2).locator('[data-test=history-summary]')).toHaveText(
    `totem token ${harnessTokenMs} → ${changedTokenMs}`,
  );
  await expect(row(2)).toContainText('admin');
  await expect(row(1)).toContainText('outside this console');
  await row(1).locator('[data-test=history-rollback]').click();
  await expect(review().locator('[data-test=config-review-version]')).toHaveText('3');
  await expect(review().locator('[data-test=config-review-note]')).toHaveText(
    'restores version 1 as version 3',
  );
  await expect(review().locator('[data-test=config-review-voting]')).toHaveCount(0);
  await expect(review().locator('[data-test=diff-added]', { hasText: 'token' })).toContainText(
    `<totem token="${harnessTokenMs}"/>`,
  );
  await review().locator('[data-test=send-to-cluster]').click();
  await expect(page.locator('[data-test=config-outcome]')).toHaveText(
    'Configuration version 3 sent to the cluster and committed (restores version 1 as version 3).',
  );
  await expect(shownVersion()).toHaveText('3', { timeout: 15_000 });
  await everyAgentRuns(3, harnessTokenMs);

  // Both changes in the list; the diff of the change and of its rollback side by side.
  await tab('history');
  await expect(row(3).locator('[data-test=history-summary]')).toHaveText(
    `rollback to 1: totem token ${changedTokenMs} → ${harnessTokenMs}`,
  );
  await page.locator('[data-test=history-from]').selectOption('1');
  await page.locator('[data-test=history-to]').selectOption('2');
  const diff = page.locator('[data-test=history-compare] [data-test=config-diff]');
  await expect(diff.locator('[data-test=diff-added]', { hasText: 'token' })).toContainText(
    `<totem token="${changedTokenMs}"/>`,
  );
  await page.locator('[data-test=history-from]').selectOption('2');
  await page.locator('[data-test=history-to]').selectOption('3');
  await expect(diff.locator('[data-test=diff-removed]', { hasText: 'token' })).toContainText(
    `<totem token="${changedTokenMs}"/>`,
  );
  await expect(diff.locator('[data-test=diff-added]', { hasText: 'token' })).toContainText(
    `<totem token="${harnessTokenMs}"/>`,
  );
  await screenshot(page, 'console-history-diff');
});

test('an uploaded broken cluster.conf is refused with the validator errors, nothing sent', async () => {
  await tab('file');
  const text = await page.locator('[data-test=config-text]').textContent();
  const broken = (text ?? '')
    .replace('config_version="3"', 'config_version="4"')
    .replace(`<totem token="${harnessTokenMs}"/>`, '<totem token="50"/>')
    .replace('recovery="relocate"', 'recovery="sometimes"');
  const upload = page.locator('[data-test=config-upload]');
  await upload.setInputFiles({
    name: 'cluster.conf',
    mimeType: 'application/xml',
    buffer: Buffer.from(broken),
  });
  const errors = page.locator('[data-test=upload-refused] [data-test=upload-error]');
  await expect(errors.filter({ hasText: '/cluster/totem/@token' })).toContainText('[out-of-range]');
  await expect(errors.filter({ hasText: '@recovery' })).toContainText('[not-one-of]');
  await expect(page.locator('dialog[data-test=config-review][open]')).toHaveCount(0);
  await upload.setInputFiles({
    name: 'cluster.conf',
    mimeType: 'application/xml',
    buffer: Buffer.from('<cluster name="bench" config_version="4">\n  <rm>\n</cluster>\n'),
  });
  await expect(errors.filter({ hasText: '[not-xml]' })).toContainText(
    /not well-formed XML at line 3/,
  );
  await expect(errors).toHaveCount(1);
  expect(await committedVersion()).toBe(3);
  await everyAgentRuns(3, harnessTokenMs);
});
