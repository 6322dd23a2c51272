import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { ConsoleStore, openDatabase } from '@quorate/luci';

export const chromiumPath = '/usr/bin/chromium';
/** Headless Chromium's flags (toolchain.md §3.10). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Outside CI a machine without Debian's Chromium skips the browser tests, saying so. */
export const chromiumMissing =
  !existsSync(chromiumPath) && process.env.CI !== 'true'
    ? `${chromiumPath} is missing: apt-get install chromium fonts-liberation`
    : null;

export const adminPassword = 'e2e admin password 1';
export const hostileName = '<img src=x onerror=alert(1)>';

const screenshotDir = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** Writes e2e/screenshots/NAME.png (not committed) and returns its path for the report. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export async function signIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto('/');
  await page.locator('[data-test=login-user]').fill(user);
  await page.locator('[data-test=login-password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await expect(page.locator('[data-test=current-user]')).toHaveText(user);
}

/** Calls the console's API from the page, as the signed-in user, the way the web app does. */
export async function callAsPage(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const headers: Record<string, string> = { 'x-csrf-token': session.csrfToken };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: response.status,
        body: await response.text(),
        retryAfter: response.headers.get('retry-after'),
      };
    },
    { method, path, body },
  );
}

/**
 * Registers a cluster straight in the console's store, as a successful "Add cluster" would.
 * Only tests do this: until the agents' console API exists the console cannot add one itself.
 */
export function registerClusterInStore(name: string): void {
  const dataDir = process.env.LUCI_E2E_DATA_DIR;
  if (!dataDir) throw new Error('LUCI_E2E_DATA_DIR is not set (run through playwright.config.ts)');
  const store = new ConsoleStore(openDatabase(dataDir));
  try {
    store.clusters.add({
      name,
      addedBy: 'e2e fixture',
      now: Date.now(),
      nodes: [{ name: 'node1', address: '192.0.2.1', port: 11111, agentFingerprint: null }],
    });
  } finally {
    store.close();
  }
}

/** Collects the page's script errors and console errors (a CSP violation is one). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Records every JavaScript dialog the page opens (an executed alert(1) would be one). */
export function forbidDialogs(page: Page): { readonly opened: string[] } {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return { opened };
}
