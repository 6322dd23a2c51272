import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  e2eSkipReason,
  type HostProcess,
  type SshServer,
  sshdSkipReason,
  startSshServer,
  TestNetwork,
} from '@quorate/e2e';
import {
  chromiumMissing,
  fillCreateClusterForm,
  firstStartAndSignIn,
  goInApp as goInAppOf,
  launchInConsoleHost,
  screenshot,
  shareHostsFile,
  startConsoleInHost,
} from '../console-helpers.js';

/**
 * Issue 11 item 1 in the browser: create cluster `tcluster` from three test hosts over SSH (a
 * real OpenSSH server in each), and the refusals that must leave nothing installed anywhere: a
 * wrong SSH password, an unreachable host, a host whose port 11111 is taken. The console and
 * Chromium run in the console test host; nothing in the root namespace talks to a test host.
 * The agents start detached (LUCI_BOOTSTRAP_STARTER=detached): test hosts run no systemd.
 */
const NODES = ['node1', 'node2', 'node3'];
// Fresh per run, never printed.
const rootPassword = `pw-${randomBytes(9).toString('base64url')}`;
const agentPassword = `agent-${randomBytes(9).toString('base64url')}`;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
const skipReason = chromiumMissing ?? e2eSkipReason() ?? sshdSkipReason() ?? null;
test.skip(skipReason !== null, skipReason ?? '');

let network: TestNetwork;
const servers = new Map<string, SshServer>();
let luci: HostProcess;
let browser: Browser;
let page: Page;

const address = (name: string) => network.host(name).address;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  network = await TestNetwork.create({ clusterHosts: 3, client: false, console: true });
  await shareHostsFile(network, NODES);
  for (const name of NODES) {
    servers.set(name, await startSshServer(network, name, { rootPassword }));
  }
  // Test hosts run no systemd: the agents start detached.
  const started = await startConsoleInHost(network, { LUCI_BOOTSTRAP_STARTER: 'detached' });
  luci = started.luci;
  ({ browser, page } = await launchInConsoleHost(network, started.baseURL));
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a hook's fixtures from this pattern.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus || !page) return;
  await screenshot(
    page,
    `console-create-failed-${testInfo.title.slice(0, 20).replace(/\W+/g, '-')}`,
  );
  console.log(`luci said:\n${luci?.output().split('\n').slice(-40).join('\n')}`);
});

test.afterAll(async () => {
  await browser?.close();
  luci?.kill();
  await network?.destroy();
});

/** Nothing of the agent on any host: install, config and state folders empty, no staging. */
function expectNothingInstalled(): void {
  for (const name of NODES) {
    for (const dir of ['/opt/quorate', '/etc/cluster', '/var/lib/quorate'] as const) {
      expect(readdirSync(network.host(name).paths.mounts[dir]), `${name}: ${dir}`).toEqual([]);
    }
  }
  expect(readdirSync('/var/tmp').filter((f) => f.startsWith('quorate-bootstrap.'))).toEqual([]);
}

/** Moves within the app without reloading: the page stays live (console-helpers' goInApp). */
const goInApp = (path: string) => goInAppOf(page, path);

const hostRow = (index: number) => page.locator('[data-test=host-row]').nth(index);

/** Fills the create form (from the homebase's button, so each attempt starts afresh). */
async function fillForm(hosts: Array<{ host: string; password?: string; hostKey?: string }>) {
  const rows = hosts.map((host) => ({ ...host, password: host.password ?? rootPassword }));
  await fillCreateClusterForm(page, 'tcluster', agentPassword, rows);
}

const pinned = (name: string) => ({
  host: address(name),
  hostKey: servers.get(name)!.hostKeySha256,
});

async function submitAndWaitForEnd(): Promise<void> {
  await page.locator('[data-test=create-cluster-submit]').click();
  await expect(page.locator('[data-test=task-steps]')).toBeVisible();
  await expect(page.locator('[data-test=task-failed], [data-test=task-done]')).toBeVisible({
    timeout: 90_000,
  });
}

const nodeRow = (host: string) => page.locator(`[data-test=task-node][data-node="${host}"]`);

test('first start, then bad input is refused at its field and nothing is sent', async () => {
  await firstStartAndSignIn(page);
  await expect(page.locator('[data-test=clusters-empty]')).toBeVisible();
  await fillForm([pinned('node1'), { host: address('node1') }, pinned('node3')]);
  await page.locator('[data-test=create-cluster-two-node]').check();
  await hostRow(2).locator('[data-test=host-ssh-port]').fill('70000');
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') requests.push(request.url());
  });
  await page.locator('[data-test=create-cluster-submit]').click();
  await expect(hostRow(1).locator('[data-test=host-address-error]')).toHaveText(
    `${address('node1')} is listed twice`,
  );
  await expect(hostRow(2).locator('[data-test=host-ssh-port-error]')).toHaveText(
    'an SSH port is 1–65535',
  );
  await expect(page.locator('[data-test=create-cluster-two-node-error]')).toHaveText(
    'two_node needs exactly two nodes; the form has 3',
  );
  await screenshot(page, 'console-create-cluster-form');
  expect(requests).toEqual([]);
});

test('a wrong SSH password for one host: its precise message, nothing installed anywhere', async () => {
  await fillForm([
    pinned('node1'),
    { ...pinned('node2'), password: 'not-the-password' },
    pinned('node3'),
  ]);
  await submitAndWaitForEnd();
  const message = `${address('node2')} port 22: wrong password for root`;
  await expect(nodeRow(address('node2')).locator('[data-test=task-node-failure]')).toHaveText(
    message,
  );
  await expect(page.locator('[data-test=task-summary]')).toContainText(message);
  await expect(page.locator('[data-test=task-summary]')).toContainText(
    'Nothing was installed on any host.',
  );
  expectNothingInstalled();
  // "Try again" brings the form back as it was sent, with every secret blank.
  await page.locator('[data-test=task-try-again]').click();
  await expect(page.locator('[data-test=create-cluster-name]')).toHaveValue('tcluster');
  await expect(hostRow(1).locator('[data-test=host-address]')).toHaveValue(address('node2'));
  await expect(hostRow(1).locator('[data-test=host-password]')).toHaveValue('');
  await expect(page.locator('[data-test=create-cluster-agent-password]')).toHaveValue('');
});

test('an unreachable host: its precise message, nothing installed anywhere', async () => {
  const absent = `${network.subnet}.77`;
  await fillForm([pinned('node1'), { host: absent }, pinned('node3')]);
  await submitAndWaitForEnd();
  const failure = nodeRow(absent).locator('[data-test=task-node-failure]');
  await expect(failure).toHaveText(new RegExp(`^${absent.replaceAll('.', '\\.')} port 22: `));
  await expect(nodeRow(absent).locator('[data-test=task-step-connect]')).toContainText('failed');
  expectNothingInstalled();
});

test('a host whose port 11111 is in use: the message names host and port', async () => {
  const listener = network.spawn('node3', process.execPath, [
    '-e',
    "require('net').createServer().listen(11111, () => console.log('listening'))",
  ]);
  try {
    await listener.waitForLine('listening', 10_000);
    await fillForm(NODES.map(pinned));
    await submitAndWaitForEnd();
    const failure = nodeRow(address('node3')).locator('[data-test=task-node-failure]');
    await expect(failure).toContainText(`${address('node3')} (node3): port 11111`);
    await expect(failure).toContainText(`pid=${listener.pid}`);
    await expect(nodeRow(address('node3')).locator('[data-test=task-step-check]')).toContainText(
      'failed',
    );
    await screenshot(page, 'console-create-cluster-port-in-use');
    expectNothingInstalled();
  } finally {
    listener.kill('SIGKILL');
    await listener.waitForExit(10_000);
  }
});

test('create tcluster from three hosts: every node started, the cluster quorate on its page', async () => {
  await fillForm([pinned('node1'), { host: address('node2') }, pinned('node3')]);
  await page.locator('[data-test=create-cluster-token]').fill('1000');
  await page.locator('[data-test=create-cluster-submit]').click();
  await expect(page.locator('[data-test=task-steps]')).toBeVisible();
  // Mid-way, as an administrator watches it (what is running at that moment varies).
  await expect(nodeRow(address('node1')).locator('[data-test=task-step-check]')).toContainText(
    'done',
  );
  await screenshot(page, 'console-create-cluster-running');
  for (const name of NODES) {
    await expect(nodeRow(address(name)).locator('[data-test=task-step-start]')).toContainText(
      'done',
      { timeout: 90_000 },
    );
  }
  await expect(page.locator('[data-test=task-done]')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[data-test=task-summary]')).toHaveText(
    'tcluster is running on 3 nodes (node1, node2, node3) and is quorate',
  );
  // Trust on first use shows the key node2 presented.
  await expect(nodeRow(address('node2')).locator('[data-test=task-node-log]')).toContainText(
    `host key ${servers.get('node2')!.hostKeySha256}`,
  );
  await expect(page.locator('[data-test=task-cluster-link]')).toBeVisible({ timeout: 30_000 });
  await screenshot(page, 'console-create-cluster-progress');
  await page.locator('[data-test=task-cluster-link]').click();
  await expect(page.locator('[data-test=member-state]')).toContainText([
    'Online',
    'Online',
    'Online',
  ]);
  await expect(page.locator('[data-test=quorum-state]')).toContainText('Quorate');
});

/** Nothing of the agent on `name`: its install, config and state folders are empty. */
function expectUninstalled(name: string): void {
  for (const dir of ['/opt/quorate', '/etc/cluster', '/var/lib/quorate'] as const) {
    expect(readdirSync(network.host(name).paths.mounts[dir]), `${name}: ${dir}`).toEqual([]);
  }
}

async function openCluster(): Promise<void> {
  await goInApp('/clusters/tcluster');
  await expect(page.locator('[data-test=quorum-state]')).toContainText('Quorate');
}

test('delete node3 with its agent, then add it back over SSH', async () => {
  await openCluster();
  await page.locator('[data-test=delete-node-choice]').selectOption('node3');
  await page.locator('[data-test=delete-node]').click();
  const deleteDialog = page.locator('[data-test=delete-node-dialog]');
  await expect(deleteDialog.locator('.dialog-title')).toHaveText(
    'Delete node node3 from tcluster?',
  );
  await deleteDialog.locator('[data-test=uninstall-choice]').check();
  await deleteDialog.locator('[data-test=access-password]').fill(rootPassword);
  await deleteDialog.locator('[data-test=delete-node-dialog-confirm]').click();
  await expect(page.locator('[data-test=task-done]')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[data-test=task-summary]')).toHaveText(
    'node3 was removed from cluster.conf (config_version 2); its agent was stopped and removed',
  );
  expectUninstalled('node3');
  await openCluster();
  await expect(page.locator('[data-test=member-row]')).toHaveCount(2);

  await page.locator('[data-test=add-node]').click();
  const addDialog = page.locator('[data-test=add-node-dialog]');
  await addDialog.locator('[data-test=host-address]').fill(address('node3'));
  await addDialog.locator('[data-test=host-password]').fill(rootPassword);
  await addDialog.locator('[data-test=host-key]').fill(servers.get('node3')!.hostKeySha256);
  await addDialog.locator('[data-test=add-node-agent-password]').fill(agentPassword);
  await addDialog.locator('[data-test=add-node-submit]').click();
  await expect(page.locator('[data-test=task-done]')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('[data-test=task-summary]')).toHaveText(
    'node3 joined tcluster as nodeid 3 and sees a quorate cluster',
  );
  await expect(nodeRow(address('node3')).locator('[data-test=task-step-join]')).toContainText(
    'done',
  );
  await openCluster();
  await expect(page.locator('[data-test=member-state]')).toContainText([
    'Online',
    'Online',
    'Online',
  ]);
});

test('delete tcluster: every agent stopped and removed, the console forgets it', async () => {
  await openCluster();
  await page.locator('[data-test=delete-cluster]').click();
  const dialog = page.locator('[data-test=delete-cluster-dialog]');
  await expect(dialog.locator('.dialog-title')).toHaveText('Delete cluster tcluster?');
  await dialog.locator('[data-test=uninstall-choice]').check();
  await dialog.locator('[data-test=access-password]').fill(rootPassword);
  await dialog.locator('[data-test=delete-cluster-dialog-confirm]').click();
  await expect(page.locator('[data-test=task-done]')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[data-test=task-summary]')).toHaveText(
    'tcluster is deleted: its agents were stopped and removed from node1, node2, node3, and the console forgot it.',
  );
  expectNothingInstalled();
  await page.locator('[data-test=back-to-clusters], a[href="/"]').first().click();
  await expect(page.locator('[data-test=clusters-empty]')).toBeVisible();
});
