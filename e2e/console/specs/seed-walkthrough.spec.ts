import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  e2eSkipReason,
  FailoverCluster,
  fenceTestHostAgent,
  type HostProcess,
  NODE_NAMES,
  runPaths,
  type SshServer,
  sshdSkipReason,
  startSshServer,
  TestNetwork,
  writeWebService,
} from '@quorate/e2e';
import {
  addClusterByAgent,
  chromiumMissing,
  fillCreateClusterForm,
  firstStartAndSignIn,
  goInApp,
  launchInConsoleHost,
  relocateInPage,
  reviewAndSend,
  screenshot,
  serviceRow,
  setAgentPasswords,
  shareHostsFile,
  startConsoleInHost,
} from '../console-helpers.js';

/**
 * Issue 11's "done when", items 1 and 4, in the browser against real agents on test hosts.
 *
 * The seed walkthrough (../shared/seed): `tcluster` created over SSH from three test hosts (a
 * real OpenSSH server in each), the manual fence device `meatware` on every node, an IP address
 * and a script resource, `webservice` from both, started, and its page fetched through the
 * floating IP from the client host; then a file system (a loop-mounted ext4 image every host
 * sees, standing in for the seed's NFS export) added to the running service starts alone (the
 * agents' operation log shows no stop or start of the IP or the script, the web server keeps its
 * pid), and after a relocation the page comes from that file system.
 *
 * Fence levels: a node whose first level is a device that fails (fence_testhost told a socket
 * where nothing listens) and whose second is the working fence_testhost is fenced by the second,
 * and the cluster page's events show both attempts with level, device and outcome.
 *
 * The console and Chromium run in the console test host; nothing in the root namespace talks to
 * a test-host address. Each step prints how long it took.
 */
const NODES = ['node1', 'node2', 'node3'];
const SERVICE = 'service:webservice';
const WEB_PORT = 8080;
const DOCROOT = '/var/lib/quorate/www';
const DISK_PAGE = 'page from the shared disk';
const waitMs = 60_000;
/**
 * The walkthrough times nothing: a token of 3 s keeps a loaded machine (CI shares its two cores)
 * from declaring a healthy node lost and fencing it midway.
 */
const tokenMs = 3000;

test.describe.configure({ mode: 'serial', timeout: 180_000 });
const skipReason = chromiumMissing ?? e2eSkipReason() ?? sshdSkipReason() ?? null;
test.skip(skipReason !== null, skipReason ?? '');

/** Prints how long each step took, from the previous one. */
function stepTimer(what: string) {
  let last = Date.now();
  return (step: string) => {
    const now = Date.now();
    console.log(`${what}: ${step} in ${now - last} ms`);
    last = now;
  };
}

/** The page the client host gets from `address`, or the error curl gives. */
async function pageFromClient(network: TestNetwork, address: string): Promise<string> {
  const url = `http://${address}:${WEB_PORT}/`;
  const got = await network.exec('client', 'curl', ['-sS', '--max-time', '2', url]);
  return got.code === 0 ? got.stdout.trim() : `curl exit ${got.code}: ${got.stderr.trim()}`;
}

/** A failed test leaves the page as it was and the console's last words. */
async function onFailure(page: Page | undefined, luci: HostProcess | undefined, title: string) {
  if (!page) return;
  await screenshot(page, `console-seed-failed-${title.slice(0, 20).replace(/\W+/g, '-')}`);
  console.log(`luci said:\n${luci?.output().split('\n').slice(-40).join('\n')}`);
}

test.describe('the seed walkthrough', () => {
  // Fresh per run, never printed.
  const rootPassword = `pw-${randomBytes(9).toString('base64url')}`;
  const agentPassword = `agent-${randomBytes(9).toString('base64url')}`;
  let network: TestNetwork;
  const servers = new Map<string, SshServer>();
  let luci: HostProcess;
  let browser: Browser;
  let page: Page;
  let floating = '';
  let webScript = '';
  let device = '';
  let timing = stepTimer('seed walkthrough');

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    timing = stepTimer('seed walkthrough');
    network = await TestNetwork.create({ clusterHosts: 3, client: true, console: true });
    await shareHostsFile(network, NODES);
    for (const name of NODES) {
      servers.set(name, await startSshServer(network, name, { rootPassword }));
    }
    const runDir = runPaths(network.runId).root;
    floating = `${network.subnet}.100`;
    const webDir = join(runDir, 'seed-web');
    mkdirSync(webDir);
    webScript = writeWebService(webDir, `${floating} ${WEB_PORT} ${DOCROOT}`);
    // The shared disk: an ext4 image made with its page in it, on a loop device every host sees.
    const content = join(runDir, 'disk-content');
    mkdirSync(content);
    writeFileSync(join(content, 'index.html'), `${DISK_PAGE}\n`);
    const image = join(runDir, 'disk.img');
    execFileSync('truncate', ['-s', '32M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', content, image]);
    device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    const started = await startConsoleInHost(network, { LUCI_BOOTSTRAP_STARTER: 'detached' });
    luci = started.luci;
    ({ browser, page } = await launchInConsoleHost(network, started.baseURL));
    timing('test hosts, sshd, disk and console ready');
  });

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a hook's fixtures from this pattern.
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) await onFailure(page, luci, testInfo.title);
  });

  test.afterAll(async () => {
    await browser?.close();
    luci?.kill();
    // Destroying the network unmounts the disk wherever it is mounted; then the loop can go.
    await network?.destroy();
    if (device) execFileSync('losetup', ['-d', device]);
  });

  const address = (name: string) => network.host(name).address;
  const stateDir = (name: string) => network.host(name).paths.mounts['/var/lib/quorate'];
  const tab = (id: string) => page.locator(`[data-test=config-tab-${id}]`).click();

  test('create tcluster from three test hosts over SSH', async () => {
    await firstStartAndSignIn(page);
    await expect(page.locator('[data-test=clusters-empty]')).toBeVisible();
    await fillCreateClusterForm(
      page,
      'tcluster',
      agentPassword,
      NODES.map((name) => ({
        host: address(name),
        password: rootPassword,
        hostKey: servers.get(name)!.hostKeySha256,
      })),
    );
    await page.locator('[data-test=create-cluster-token]').fill(String(tokenMs));
    await page.locator('[data-test=create-cluster-submit]').click();
    await expect(page.locator('[data-test=task-done]')).toBeVisible({ timeout: 150_000 });
    await expect(page.locator('[data-test=task-summary]')).toHaveText(
      'tcluster is running on 3 nodes (node1, node2, node3) and is quorate',
    );
    await screenshot(page, 'console-seed-created');
    await page.locator('[data-test=task-cluster-link]').click();
    await expect(page.locator('[data-test=quorum-state]')).toContainText('Quorate');
    timing('tcluster created over SSH');
  });

  test('the manual fence device meatware, on every node', async () => {
    await page.locator('[data-test=cluster-config-link]').click();
    await expect(page.locator('[data-test=config-version]')).toHaveText('1', { timeout: waitMs });
    await tab('fence');
    await page.locator('[data-test=fence-device-add]').click();
    await page.locator('[data-test=fence-device-agent]').selectOption('fence_manual');
    await page.locator('[data-test=fence-device-name]').fill('meatware');
    await page.locator('[data-test=fence-device-form-save]').click();
    await reviewAndSend(page, '<fencedevice name="meatware" agent="fence_manual"/>');
    await tab('nodes');
    for (const node of NODES) {
      await page.locator(`[data-test=node-row][data-name=${node}] [data-test=node-edit]`).click();
      const form = page.locator('[data-test=node-form]');
      await form.locator('[data-test=fence-level-add]').click();
      await form
        .locator('[data-test=fence-level]')
        .nth(0)
        .locator('[data-test=fence-level-device]')
        .selectOption('meatware');
      await form.locator('[data-test=node-form-save]').click();
      await reviewAndSend(page, '<device name="meatware"/>');
      await expect(
        page.locator(`[data-test=node-row][data-name=${node}] [data-test=node-fence-levels]`),
      ).toContainText('meatware');
    }
    timing('meatware on every node');
  });

  test('an IP address and a script resource, then webservice from both: started, and its page through the floating IP', async () => {
    await tab('resources');
    await page.locator('[data-test=resource-add]').click();
    await page.locator('[data-test=resource-type]').selectOption('ip');
    await page.locator('[data-test=resource-param-address]').fill(floating);
    await page.locator('[data-test=resource-form-save]').click();
    await reviewAndSend(page, `<ip address="${floating}"`);
    await page.locator('[data-test=resource-add]').click();
    await page.locator('[data-test=resource-type]').selectOption('script');
    await page.locator('[data-test=resource-param-name]').fill('webserver');
    await page.locator('[data-test=resource-param-file]').fill(webScript);
    await page.locator('[data-test=resource-form-save]').click();
    await reviewAndSend(page, `<script name="webserver" file="${webScript}"/>`);

    await tab('services');
    await page.locator('[data-test=service-add]').click();
    const form = page.locator('[data-test=service-form]');
    await form.locator('[data-test=service-name]').fill('webservice');
    await form.locator('[data-test=service-recovery]').selectOption('relocate');
    for (const label of [`ip ${floating}`, 'script webserver']) {
      await form.locator('[data-test=tree-add-ref]').selectOption({ label });
      await form.locator('[data-test=tree-add-ref-button]').click();
    }
    await form.locator('[data-test=service-form-save]').click();
    await reviewAndSend(page, '<service name="webservice"');
    timing('resources and webservice sent');

    await goInApp(page, '/clusters/tcluster');
    await expect(serviceRow(page, SERVICE).locator('[data-test=service-state]')).toContainText(
      'started',
      { timeout: waitMs },
    );
    const owner = (await serviceRow(page, SERVICE)
      .locator('[data-test=service-owner]')
      .textContent())!;
    expect(NODES).toContain(owner);
    await expect
      .poll(() => pageFromClient(network, floating), { timeout: waitMs })
      .toBe(`hello from ${owner}`);
    await screenshot(page, 'console-seed-webservice-started');
    timing(`webservice started on ${owner}, its page through the floating IP`);
  });

  test('a file system added to the running webservice starts alone; after a relocation the page comes from it', async () => {
    const owner = (await serviceRow(page, SERVICE)
      .locator('[data-test=service-owner]')
      .textContent())!;
    const webPid = readFileSync(join(stateDir(owner), 'web.pid'), 'utf8').trim();
    const logFile = join(stateDir(owner), 'ricci.log');
    const logBefore = readFileSync(logFile, 'utf8').length;

    await page.locator('[data-test=cluster-config-link]').click();
    await expect(page.locator('[data-test=config-version]')).not.toHaveText('', {
      timeout: waitMs,
    });
    await tab('resources');
    await page.locator('[data-test=resource-add]').click();
    await page.locator('[data-test=resource-type]').selectOption('fs');
    await page.locator('[data-test=resource-param-name]').fill('webstore');
    await page.locator('[data-test=resource-param-device]').fill(device);
    await page.locator('[data-test=resource-param-mountpoint]').fill(DOCROOT);
    await page.locator('[data-test=resource-param-advanced] summary').click();
    await page.locator('[data-test=resource-param-fstype]').fill('ext4');
    await page.locator('[data-test=resource-param-force_unmount]').selectOption('1');
    await page.locator('[data-test=resource-form-save]').click();
    await reviewAndSend(page, '<fs name="webstore"');

    await tab('services');
    await page
      .locator('[data-test=service-config-row][data-name=webservice] [data-test=service-edit]')
      .click();
    const form = page.locator('[data-test=service-form]');
    await form.locator('[data-test=tree-add-ref]').selectOption({ label: 'fs webstore' });
    await form.locator('[data-test=tree-add-ref-button]').click();
    await expect(form.locator('[data-test=service-start-order] li').first()).toHaveText(
      'fs webstore',
    );
    await form.locator('[data-test=service-form-save]').click();
    await expect(page.locator('[data-test=config-diff]')).toContainText('<fs ref="webstore"/>');
    await screenshot(page, 'console-seed-add-file-system');
    await reviewAndSend(page, '<fs ref="webstore"/>');

    // The owner's agent starts the file system, and nothing else stops or starts.
    const operations = () =>
      readFileSync(logFile, 'utf8')
        .slice(logBefore)
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((e) => e.event === 'agent-op-finished' && e.action !== 'status')
        .map((e) => `${e.action} ${e.type} ${e.code}`);
    await expect.poll(operations, { timeout: waitMs }).toContain('start fs 0');
    expect(operations()).toEqual(['start fs 0']);
    expect(readFileSync(join(stateDir(owner), 'web.pid'), 'utf8').trim()).toBe(webPid);
    await expect
      .poll(() => pageFromClient(network, floating), { timeout: waitMs })
      .toBe(`${DISK_PAGE} (${owner})`);
    timing(`file system started alone on ${owner}`);

    const target = NODES.find((node) => node !== owner)!;
    await goInApp(page, '/clusters/tcluster');
    await relocateInPage(page, SERVICE, target);
    await expect(serviceRow(page, SERVICE).locator('[data-test=service-owner]')).toHaveText(target);
    await expect(serviceRow(page, SERVICE).locator('[data-test=service-state]')).toContainText(
      'started',
    );
    await expect
      .poll(() => pageFromClient(network, floating), { timeout: waitMs })
      .toBe(`${DISK_PAGE} (${target})`);
    await screenshot(page, 'console-seed-relocated');
    timing(`relocated to ${target}, the page from the file system`);
  });
});

test.describe('fence levels', () => {
  const agentPassword = 'e2e agent password 1';
  let cluster: FailoverCluster;
  let luci: HostProcess;
  let browser: Browser;
  let page: Page;
  let timing = stepTimer('fence levels');

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    timing = stepTimer('fence levels');
    cluster = await FailoverCluster.start(tokenMs, waitMs, { console: true });
    await setAgentPasswords(cluster.network, NODE_NAMES, agentPassword);
    const started = await startConsoleInHost(cluster.network);
    luci = started.luci;
    ({ browser, page } = await launchInConsoleHost(cluster.network, started.baseURL));
    timing('cluster bench and console ready');
  });

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a hook's fixtures from this pattern.
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) await onFailure(page, luci, testInfo.title);
  });

  test.afterAll(async () => {
    await browser?.close();
    luci?.kill();
    await cluster?.close();
  });

  test('a failing first level, then the working second: fenced by the second, both attempts in the events', async () => {
    await firstStartAndSignIn(page);
    await addClusterByAgent(page, cluster.network.host('node1').address, agentPassword, 3);
    await page.locator('[data-test=cluster-name]').click();
    const status = await page.evaluate(async () =>
      (await fetch('/api/clusters/bench/status')).json(),
    );
    const leader = (status as { status: { quorum: { leader: string } } }).status.quorum.leader;
    // Neither the leader (it fences) nor node1 (the console's agent): the link stays put.
    const victim = NODE_NAMES.find((node) => node !== leader && node !== 'node1')!;
    await page.locator('[data-test=cluster-config-link]').click();
    await expect(page.locator('[data-test=config-version]')).toHaveText('1', { timeout: waitMs });

    // The failing device: the real agent, told a control socket where nothing listens.
    const tab = (id: string) => page.locator(`[data-test=config-tab-${id}]`).click();
    await tab('fence');
    await page.locator('[data-test=fence-device-add]').click();
    await page.locator('[data-test=fence-device-name]').fill('broken');
    await page.locator('[data-test=fence-device-agent]').selectOption('');
    await page.locator('[data-test=fence-device-agent-other]').fill(fenceTestHostAgent);
    const nowhere = join(runPaths(cluster.network.runId).root, 'nothing-listens.sock');
    await page.locator('[data-test=fence-params-free]').fill(`socket=${nowhere}`);
    await page.locator('[data-test=fence-device-form-save]').click();
    await reviewAndSend(page, `socket="${nowhere}"`);

    await tab('nodes');
    await page.locator(`[data-test=node-row][data-name=${victim}] [data-test=node-edit]`).click();
    const form = page.locator('[data-test=node-form]');
    await form.locator('[data-test=fence-level-add]').click();
    const added = form.locator('[data-test=fence-level]').nth(1);
    await added.locator('[data-test=fence-level-device]').selectOption('broken');
    await added.locator('[data-test=fence-level-param-port]').fill(victim);
    await added.locator('[data-test=fence-level-up]').click();
    await form.locator('[data-test=node-form-save]').click();
    await reviewAndSend(page, `<device name="broken" port="${victim}"/>`);
    const levels = page.locator(
      `[data-test=node-row][data-name=${victim}] [data-test=node-fence-levels]`,
    );
    await expect(levels).toContainText(/^1\. .*broken; 2\. power: testhost$/);
    timing(`${victim}: broken first, testhost second`);

    await goInApp(page, '/clusters/bench');
    await expect(page.locator('[data-test=quorum-state]')).toContainText('Quorate');
    // No node was lost meanwhile: the only fence to come is the victim's.
    await expect(page.locator('[data-test=member-state]')).toContainText([
      'Online',
      'Online',
      'Online',
    ]);
    await expect(page.locator('[data-test=event][data-kind=fence]')).toHaveCount(0);
    await cluster.network.powerOff(victim);
    const event = (text: RegExp) => page.locator('[data-test=event-message]', { hasText: text });
    await expect(
      event(new RegExp(`^${victim}: fence level 1 \\(method .*, device broken\\) failed$`)),
    ).toHaveCount(1, {
      timeout: waitMs,
    });
    await expect(
      event(new RegExp(`^${victim}: fence level 2 \\(method power, device testhost\\) succeeded$`)),
    ).toHaveCount(1, { timeout: waitMs });
    await screenshot(page, 'console-fence-levels');
    timing(`${victim} powered off: level 1 failed, level 2 succeeded, both in the events`);
  });
});
