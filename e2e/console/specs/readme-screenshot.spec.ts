import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { FakeCluster, type FakeConsole, startFakeConsole } from '@quorate/luci/testing';
import {
  adminPassword,
  chromiumMissing,
  collectPageErrors,
  screenshot,
} from '../console-helpers.js';

/**
 * The README's picture of the console: a cluster page after a relocation, against a cluster in
 * memory (`FakeCluster`, no test hosts). Every run writes `e2e/screenshots/readme-console.png`;
 * with `QUORATE_UPDATE_DOCS=1` it also replaces the committed `docs/console.png`, so an
 * ordinary run (CI's) never changes a tracked file.
 */
const webDir = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));
const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url));

const test = base.extend<object, { fake: FakeConsole }>({
  fake: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's needs from this pattern.
    async ({}, use) => {
      const cluster = new FakeCluster({
        services: {
          'service:webservice': 'node2',
          'service:database': 'node3',
          'service:nfs-home': 'node1',
        },
      });
      const fake = await startFakeConsole({ webDir, cluster });
      await use(fake);
      await fake.close();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ fake }, use) => use(fake.url),
  viewport: { width: 1280, height: 860 },
});

test.skip(chromiumMissing !== null, chromiumMissing ?? '');

test('the README screenshot: a cluster page after relocating webservice', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await page.locator('[data-test=setup-password]').fill(adminPassword);
  await page.locator('[data-test=setup-confirm]').fill(adminPassword);
  await page.locator('[data-test=setup-submit]').click();
  await page.locator('[data-test=login-user]').fill('admin');
  await page.locator('[data-test=login-password]').fill(adminPassword);
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=add-cluster]').click();
  await page.locator('[data-test=add-cluster-address]').fill('192.0.2.1');
  await page.locator('[data-test=add-cluster-password]').fill('agent password');
  await page.locator('[data-test=add-cluster-submit]').click();
  await expect(page.locator('[data-test=cluster-members]')).toHaveText('3 of 3 online');
  await page.locator('[data-test=cluster-name]', { hasText: 'webcluster' }).click();
  await expect(page.locator('[data-test=cluster-title]')).toHaveText('webcluster');

  const web = page.locator('[data-test=service-row]', {
    has: page.locator('[data-test=service-name]', { hasText: 'service:webservice' }),
  });
  await web.locator('[data-test=service-target]').selectOption('node1');
  await web.locator('[data-test=service-relocate]').click();
  await page.locator('[data-test=service-action-dialog-confirm]').click();
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    'Trying to relocate service:webservice to node1...Success',
  );
  await expect(web.locator('[data-test=service-owner]')).toHaveText('node1');
  await expect(page.locator('[data-test=service-state]')).toContainText([
    'started',
    'started',
    'started',
  ]);

  const path = await screenshot(page, 'readme-console');
  if (process.env.QUORATE_UPDATE_DOCS === '1') {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(path, `${docsDir}console.png`);
  }
  expect(errors).toEqual([]);
});
