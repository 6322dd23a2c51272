import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, expect, type Page, type TestInfo, test } from '@playwright/test';
import {
  e2eSkipReason,
  FailoverCluster,
  type HostProcess,
  NODE_NAMES,
  runPaths,
  type TestNetwork,
} from '@quorate/e2e';
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

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** luci's port in the console test host (luci's own default). */
export const consoleHostPort = 8084;

/**
 * luci in the console test host, with a fresh data directory in the run's folder; resolves once
 * it is ready, with its address as the browser there reaches it.
 */
export async function startConsoleInHost(
  network: TestNetwork,
  env: Record<string, string> = {},
): Promise<{ luci: HostProcess; baseURL: string }> {
  const host = network.host('console');
  const dataDir = join(runPaths(network.runId).root, 'luci');
  const args = [join(repo, 'apps/luci/dist/main.js'), '--data-dir', dataDir];
  args.push('--host', host.address, '--port', String(consoleHostPort));
  args.push('--web-dir', join(repo, 'apps/web/dist'));
  const luci = network.spawn('console', process.execPath, args, {
    env: { ...process.env, LUCI_LOG_LEVEL: 'info', ...env },
  });
  await luci.waitForLine(/console ready/, 30_000);
  return { luci, baseURL: `https://${host.address}:${consoleHostPort}` };
}

/** Chromium in the console host's network namespace; Playwright drives it over a pipe. */
export async function launchInConsoleHost(
  network: TestNetwork,
  baseURL: string,
): Promise<{ browser: Browser; page: Page }> {
  const wrapper = join(runPaths(network.runId).root, 'chromium-in-console');
  const namespace = network.host('console').namespace;
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec nsenter --net=/run/netns/${namespace} -- ${chromiumPath} "$@"\n`,
    { mode: 0o755 },
  );
  const browser = await chromium.launch({ executablePath: wrapper, args: chromiumArgs });
  const context = await browser.newContext({
    baseURL,
    ignoreHTTPSErrors: true,
    viewport: { width: 1400, height: 1000 },
  });
  return { browser, page: await context.newPage() };
}

/**
 * The console for real agents: every node's agent password set, luci in the console host and
 * Chromium beside it.
 */
export async function startConsoleForAgents(
  network: TestNetwork,
  nodes: readonly string[],
  agentPassword: string,
): Promise<{ luci: HostProcess; browser: Browser; page: Page }> {
  await setAgentPasswords(network, nodes, agentPassword);
  const { luci, baseURL } = await startConsoleInHost(network);
  return { luci, ...(await launchInConsoleHost(network, baseURL)) };
}

/** The harness's cluster and the console managing it, once a file's `beforeAll` started them. */
export interface ConsoleWithAgents {
  cluster: FailoverCluster;
  luci: HostProcess;
  browser: Browser;
  page: Page;
}

/**
 * The hooks of a serial file (or describe block) of tests against real agents: before all, the
 * harness's cluster `bench` on test hosts with `agentPassword` set, luci and Chromium in the
 * console host; after a failed test, what `showFailure` shows; after all, everything stopped.
 * Skips, saying why, where Chromium or the test-host tools are missing.
 */
export function consoleWithAgents(options: {
  readonly tokenMs: number;
  readonly agentPassword: string;
  /** Names the failure screenshots. */
  readonly name: string;
  readonly timeoutMs?: number;
}): ConsoleWithAgents {
  test.describe.configure({ mode: 'serial', timeout: options.timeoutMs ?? 120_000 });
  const skipReason = chromiumMissing ?? e2eSkipReason() ?? null;
  test.skip(skipReason !== null, skipReason ?? '');
  const started: Partial<ConsoleWithAgents> = {};
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    started.cluster = await FailoverCluster.start(options.tokenMs, 60_000, { console: true });
    const { network } = started.cluster;
    Object.assign(started, await startConsoleForAgents(network, NODE_NAMES, options.agentPassword));
  });
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a hook's fixtures from this pattern.
  test.afterEach(async ({}, testInfo) =>
    showFailure(testInfo, options.name, started.page, started.luci),
  );
  test.afterAll(async () => {
    await started.browser?.close();
    started.luci?.kill();
    await started.cluster?.close();
  });
  return started as ConsoleWithAgents;
}

/** The committed config_version of cluster `bench`, asked of the console (which asks the agents). */
export async function committedConfigVersion(page: Page): Promise<number> {
  const response = await callAsPage(page, 'GET', '/api/clusters/bench/config');
  expect(response.status).toBe(200);
  return (JSON.parse(response.body) as { version: number }).version;
}

/** After a failed test: a screenshot of the page as it was, and the console's last words. */
export async function showFailure(
  testInfo: TestInfo,
  name: string,
  page: Page | undefined,
  luci: HostProcess | undefined,
): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus || !page) return;
  await screenshot(page, `${name}-failed-${testInfo.title.slice(0, 20).replace(/\W+/g, '-')}`);
  console.log(`luci said:\n${luci?.output().split('\n').slice(-40).join('\n')}`);
}

/** The console's first start: sets the admin password, then signs in as admin. */
export async function firstStartAndSignIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.locator('[data-test=setup-password]').fill(adminPassword);
  await page.locator('[data-test=setup-confirm]').fill(adminPassword);
  await page.locator('[data-test=setup-submit]').click();
  await page.locator('[data-test=login-user]').fill('admin');
  await page.locator('[data-test=login-password]').fill(adminPassword);
  await page.locator('[data-test=login-submit]').click();
}

/** Sets every node's agent password (`ricci password`), as an administrator does before "Add". */
export async function setAgentPasswords(
  network: TestNetwork,
  nodes: readonly string[],
  password: string,
): Promise<void> {
  const ricci = join(repo, 'bin/ricci');
  for (const node of nodes) {
    const set = await network.exec(node, process.execPath, [ricci, 'password'], {
      input: `${password}\n`,
    });
    if (set.code !== 0) throw new Error(`${node}: ricci password: ${set.stderr}`);
  }
}

/** "Add cluster" by one node's address and the agent password; waits for every member. */
export async function addClusterByAgent(
  page: Page,
  address: string,
  agentPassword: string,
  members: number,
): Promise<void> {
  await page.locator('[data-test=add-cluster]').click();
  await page.locator('[data-test=add-cluster-address]').fill(address);
  await page.locator('[data-test=add-cluster-password]').fill(agentPassword);
  await page.locator('[data-test=add-cluster-submit]').click();
  // Adding reaches every agent with the password (scrypt on each): allow for a busy machine.
  await expect(page.locator('[data-test=cluster-members]')).toHaveText(
    `${members} of ${members} online`,
    { timeout: 30_000 },
  );
}

/** The console's first start, then "Add cluster" by an agent's address; waits for every member. */
export async function firstStartWithCluster(
  page: Page,
  address: string,
  agentPassword: string,
  members: number,
): Promise<void> {
  await firstStartAndSignIn(page);
  await addClusterByAgent(page, address, agentPassword, members);
}

/**
 * Moves to a page of the console the way its own links do (wouter follows history.pushState),
 * without reloading: the page stays live.
 */
export async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)})`);
}

/** Reviews the change a configuration form produced and sends it: the version goes one up. */
export async function reviewAndSend(page: Page, expectAdded: string): Promise<number> {
  const shownVersion = page.locator('[data-test=config-version]');
  const review = page.locator('[data-test=config-review]');
  await expect(review.locator('[data-test=config-diff]')).toContainText(expectAdded);
  const before = Number(await shownVersion.textContent());
  await expect(review.locator('[data-test=config-review-version]')).toHaveText(String(before + 1));
  await review.locator('[data-test=send-to-cluster]').click();
  await expect(page.locator('[data-test=config-outcome]')).toContainText(
    `Configuration version ${before + 1} sent to the cluster and committed.`,
  );
  // The page reads the file again once the live status shows an agent applied the new version.
  await expect(shownVersion).toHaveText(String(before + 1), { timeout: 15_000 });
  return before + 1;
}

/** A row of the cluster page's services table. */
export const serviceRow = (page: Page, id: string) =>
  page.locator('[data-test=service-row]', {
    has: page.locator('[data-test=service-name]', { hasText: id }),
  });

/** Relocates a service from the cluster page and waits for RHCS's "…Success". */
export async function relocateInPage(page: Page, id: string, node: string): Promise<void> {
  const row = serviceRow(page, id);
  await row.locator('[data-test=service-target]').selectOption(node);
  await row.locator('[data-test=service-relocate]').click();
  await page.locator('[data-test=service-action-dialog-confirm]').click();
  await expect(page.locator('[data-test=action-outcome-text]')).toHaveText(
    `Trying to relocate ${id} to ${node}...Success`,
    { timeout: 30_000 },
  );
}

/** Node names resolve on every host (RHCS required it; agents dial new nodes by name). */
export async function shareHostsFile(network: TestNetwork, nodes: readonly string[]) {
  const lines = nodes.map((name) => `${network.host(name).address} ${name}`);
  const file = join(runPaths(network.runId).root, 'etc-hosts');
  writeFileSync(file, `127.0.0.1 localhost\n${lines.join('\n')}\n`);
  for (const name of nodes) {
    const bound = await network.exec(name, 'mount', ['--bind', file, '/etc/hosts']);
    if (bound.code !== 0) throw new Error(`${name}: mount /etc/hosts: ${bound.stderr}`);
  }
}

export interface CreateClusterHost {
  readonly host: string;
  readonly password: string;
  /** The SSH host key's `SHA256:…`, pinned; empty trusts the key on first use. */
  readonly hostKey?: string;
}

/** Fills the create-cluster form from the homebase's button: name, agent password, hosts. */
export async function fillCreateClusterForm(
  page: Page,
  name: string,
  agentPassword: string,
  hosts: readonly CreateClusterHost[],
): Promise<void> {
  const hostRow = (index: number) => page.locator('[data-test=host-row]').nth(index);
  await goInApp(page, '/');
  await page.locator('[data-test=create-cluster]').click();
  await page.locator('[data-test=create-cluster-name]').fill(name);
  await page.locator('[data-test=create-cluster-agent-password]').fill(agentPassword);
  while ((await page.locator('[data-test=host-row]').count()) > hosts.length) {
    await hostRow(hosts.length).locator('[data-test=host-remove]').click();
  }
  for (const [index, host] of hosts.entries()) {
    await hostRow(index).locator('[data-test=host-address]').fill(host.host);
    await hostRow(index).locator('[data-test=host-password]').fill(host.password);
    await hostRow(index)
      .locator('[data-test=host-key]')
      .fill(host.hostKey ?? '');
  }
}
