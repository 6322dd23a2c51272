import type { AddressInfo } from 'node:net';
import type { TaskLiveMessage, TaskView } from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  adminPassword,
  FakeCluster,
  fakeClusterLinks,
  host,
  origin,
  TestBrowser,
} from '../../testing/test-console.js';
import { buildApp } from '../app.js';
import type { BootstrapBackend } from '../bootstrap/bootstrap-backend.js';
import { memoryBootstrap } from '../bootstrap/bootstrap-backend.js';
import type { BootstrapOutcome } from '../bootstrap/bootstrap-cluster.js';
import type { ClusterPlan } from '../bootstrap/bootstrap-plan.js';
import type { BootstrapProgress } from '../bootstrap/node-run.js';
import { ConsoleStore, openMemoryDatabase } from '../store/index.js';

const sshPassword = 'ssh secret password';
const agentPassword = 'agent secret password';

const request = (overrides: Record<string, unknown> = {}) => ({
  clusterName: 'tcluster',
  agentPassword,
  nodes: ['10.1.0.1', '10.1.0.2', '10.1.0.3'].map((address) => ({
    host: address,
    auth: { kind: 'password', password: sshPassword },
  })),
  ...overrides,
});

/** A backend whose createCluster reports the given progress, then resolves with `outcome`. */
function scriptedBackend(
  outcome: BootstrapOutcome,
  progress: readonly BootstrapProgress[],
): BootstrapBackend & { plans: ClusterPlan[] } {
  const plans: ClusterPlan[] = [];
  return {
    plans,
    createCluster: async (plan, onProgress) => {
      plans.push(plan);
      for (const event of progress) onProgress(event);
      return outcome;
    },
    addNode: () => Promise.reject(new Error('not in this test')),
    uninstall: () => Promise.reject(new Error('not in this test')),
  };
}

const okOutcome: BootstrapOutcome = {
  ok: true,
  clusterName: 'tcluster',
  ca: { certPem: 'CA CERT', keyPem: 'CA KEY' },
  clusterConf: '<cluster/>',
  nodes: [1, 2, 3].map((n) => ({
    host: `10.1.0.${n}`,
    name: `node${n}`,
    nodeid: n,
    hostKeySha256: 'SHA256:x',
    agentCertificateSha256: 'ab',
  })),
};

let app: FastifyInstance | undefined;
let store: ConsoleStore | undefined;
afterEach(async () => {
  await app?.close();
  store?.close();
  app = undefined;
});

async function start(
  backend: BootstrapBackend,
  clusterLinks = fakeClusterLinks(new FakeCluster({ clusterName: 'tcluster', subnet: '10.1.0' })),
): Promise<TestBrowser> {
  store = new ConsoleStore(openMemoryDatabase());
  app = await buildApp({
    store,
    clusterLinks,
    webDir: null,
    https: null,
    scryptCost: { N: 1024, r: 8, p: 1 },
    liveSweepMs: 0,
    bootstrap: memoryBootstrap(backend),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const admin = new TestBrowser(app);
  await admin.call('POST', '/api/setup', { password: adminPassword });
  await admin.login('admin', adminPassword);
  return admin;
}

/** Every message of the task's live socket until the server closes it (the task ended). */
function followTask(browser: TestBrowser, id: string): Promise<TaskView[]> {
  const { port } = app!.server.address() as AddressInfo;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/tasks/${id}/live`, {
    headers: { host, origin, cookie: browser.cookie ?? '' },
  });
  const seen: TaskView[] = [];
  socket.on('message', (data) => seen.push((JSON.parse(String(data)) as TaskLiveMessage).task));
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => resolve(seen));
  });
}

describe('creating a cluster over SSH', () => {
  it('refuses bad input at its field and starts nothing', async () => {
    const backend = scriptedBackend(okOutcome, []);
    const admin = await start(backend);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ clusterName: 'bad name' }, 'clusterName', 'a cluster name must'],
      [{ options: { twoNode: true } }, 'options.twoNode', 'two_node needs exactly two nodes'],
      [
        {
          nodes: ['10.1.0.1', '10.1.0.1'].map((h) => ({
            host: h,
            auth: { kind: 'password', password: 'x' },
          })),
        },
        'nodes.1.host',
        '10.1.0.1 is listed twice',
      ],
      [{ agentPassword: 'short' }, 'agentPassword', 'at least 12'],
    ];
    for (const [overrides, field, words] of cases) {
      const response = await admin.call('POST', '/api/create-cluster', request(overrides));
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field).toBe(field);
      expect(response.json().error.message).toContain(words);
    }
    expect(backend.plans).toEqual([]);
  });

  it('runs the bootstrap as a task, pushes every step live, then registers the cluster', async () => {
    const steps: BootstrapProgress[] = [
      { node: '10.1.0.1', step: 'connect', state: 'running' },
      { node: '10.1.0.1', step: 'connect', state: 'done', detail: 'host key SHA256:x' },
      { node: '10.1.0.2', step: 'start', state: 'done', detail: 'agent listening on port 11111' },
    ];
    const admin = await start(scriptedBackend(okOutcome, steps));
    const response = await admin.call('POST', '/api/create-cluster', request());
    expect(response.statusCode).toBe(202);
    const id = response.json().task.id as string;
    const seen = await followTask(admin, id);
    const last = seen.at(-1)!;
    expect(last.state).toBe('done');
    expect(last.summary).toBe(
      'tcluster is running on 3 nodes (node1, node2, node3) and is quorate',
    );
    expect(last.nodes.map((n) => [n.node, n.steps.map((s) => `${s.step} ${s.state}`)])).toEqual([
      ['10.1.0.1', ['connect done', 'register done']],
      ['10.1.0.2', ['start done']],
      ['10.1.0.3', []],
    ]);
    expect(store!.clusters.byName('tcluster')?.nodeCount).toBe(3);
    // No secret in what the browser gets or in the audit log.
    const text = JSON.stringify(seen) + (await admin.call('GET', '/api/audit')).body;
    expect(text).not.toContain(sshPassword);
    expect(text).not.toContain(agentPassword);
    const audit = (await admin.call('GET', '/api/audit')).json().entries[0];
    expect(audit).toMatchObject({ action: 'cluster.create', cluster: 'tcluster', result: 'ok' });
    // A second creation under the same name is refused at the name.
    const again = await admin.call('POST', '/api/create-cluster', request());
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      field: 'clusterName',
      message: 'this console already has a cluster named "tcluster"',
    });
  });

  it('ends a failed bootstrap with its precise failures and registers nothing', async () => {
    const message = '10.1.0.2 port 22: wrong password for root';
    const failed: BootstrapOutcome = {
      ok: false,
      failures: [{ node: '10.1.0.2', step: 'connect', kind: 'auth-failed', message }],
      undone: [],
      undoFailures: [],
    };
    const admin = await start(scriptedBackend(failed, []));
    const id = (await admin.call('POST', '/api/create-cluster', request())).json().task.id;
    const last = (await followTask(admin, id)).at(-1)!;
    expect(last.state).toBe('failed');
    expect(last.failures).toEqual(failed.failures);
    expect(last.summary).toBe(
      `tcluster was not created: ${message}. Nothing was installed on any host.`,
    );
    expect(store!.clusters.list()).toEqual([]);
  });

  it('lets only administrators create clusters', async () => {
    const admin = await start(scriptedBackend(okOutcome, []));
    await admin.call('POST', '/api/users', { name: 'viewer', password: 'viewer password 1' });
    const viewer = new TestBrowser(app!);
    await viewer.login('viewer', 'viewer password 1');
    const response = await viewer.call('POST', '/api/create-cluster', request());
    expect(response.statusCode).toBe(403);
  });
});

const committedConf = (version: number, nodes: readonly string[]) =>
  `<?xml version="1.0"?>\n<cluster name="tcluster" config_version="${version}">\n  <clusternodes>\n${nodes
    .map((n, i) => `    <clusternode name="${n}" votes="1" nodeid="${i + 1}"/>`)
    .join('\n')}\n  </clusternodes>\n</cluster>\n`;

/**
 * A FakeCluster whose links hold a committed cluster.conf and take `config-update`s the way the
 * leader does (or refuse them with `refusal`), remembering each text committed.
 */
function clusterWithConfig(refusal?: { rule: 'in-use'; message: string }) {
  const fake = new FakeCluster({ clusterName: 'tcluster', subnet: '10.1.0' });
  const committed = { version: 1, text: committedConf(1, ['node1', 'node2', 'node3']) };
  const texts: string[] = [];
  fake.answer = (action) => {
    if (action.type !== 'config-update') throw new Error(`unexpected ${action.type}`);
    if (refusal) return { type: 'config-update', accepted: false, ...refusal };
    texts.push(action.text);
    const version = Number(/config_version="(\d+)"/.exec(action.text)?.[1]);
    const previousVersion = committed.version;
    Object.assign(committed, { version, text: action.text });
    return { type: 'config-update', accepted: true, previousVersion, version };
  };
  const factory = fake.links();
  const withConfig = <L extends object>(link: L) => ({ ...link, config: async () => committed });
  const links = {
    ...factory,
    connect: async (target: Parameters<typeof factory.connect>[0]) =>
      withConfig(await factory.connect(target)),
    reconnect: (nodes: Parameters<typeof factory.reconnect>[0]) =>
      withConfig(factory.reconnect(nodes)),
  } as typeof factory;
  return { fake, links, texts };
}

/** Creates tcluster through the scripted backend (so the console holds its CA). */
async function createdCluster(
  backend: BootstrapBackend,
  links: ReturnType<typeof fakeClusterLinks>,
) {
  const admin = await start(backend, links);
  const id = (await admin.call('POST', '/api/create-cluster', request())).json().task.id;
  expect((await followTask(admin, id)).at(-1)?.state).toBe('done');
  return admin;
}

const sshAccess = { auth: { kind: 'password', password: sshPassword } };

describe('adding and deleting nodes, deleting the cluster', () => {
  it('adds a node: the cluster commits it (config_version + 1) before the agent starts', async () => {
    const { links, texts } = clusterWithConfig();
    const backend = scriptedBackend(okOutcome, []);
    backend.addNode = async (add, onProgress) => {
      onProgress({ node: add.node.host, step: 'join', state: 'running' });
      const text = await add.commitNode('node4');
      onProgress({ node: add.node.host, step: 'join', state: 'done', detail: 'node4 committed' });
      expect(add.ca.keyPem).toBe('CA KEY');
      expect(add.members.map((m) => m.name)).toEqual(['node1', 'node2', 'node3']);
      expect(text).toContain('name="node4"');
      const node = { ...okOutcome.nodes[0]!, host: add.node.host, name: 'node4', nodeid: 4 };
      return { ok: true, node };
    };
    const admin = await createdCluster(backend, links);
    const response = await admin.call('POST', '/api/clusters/tcluster/nodes', {
      node: { host: '10.1.0.4', ...sshAccess },
      agentPassword,
    });
    expect(response.statusCode).toBe(202);
    const last = (await followTask(admin, response.json().task.id)).at(-1)!;
    expect(last).toMatchObject({ kind: 'add-node', state: 'done', subject: '10.1.0.4' });
    expect(last.summary).toBe('node4 joined tcluster as nodeid 4 and sees a quorate cluster');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('config_version="2"');
    expect(texts[0]).toContain('<clusternode name="node4"');
  });

  it('refuses adding a member twice, or to a cluster whose CA it does not hold', async () => {
    const { links } = clusterWithConfig();
    const admin = await createdCluster(scriptedBackend(okOutcome, []), links);
    const twice = await admin.call('POST', '/api/clusters/tcluster/nodes', {
      node: { host: '10.1.0.2', ...sshAccess },
      agentPassword,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({
      field: 'node.host',
      message: '10.1.0.2 is already node2 of tcluster',
    });
    await admin.call('POST', '/api/clusters/tcluster/delete', {});
    await admin.call('POST', '/api/clusters', { address: '10.1.0.1', agentPassword });
    const noCa = await admin.call('POST', '/api/clusters/tcluster/nodes', {
      node: { host: '10.1.0.4', ...sshAccess },
      agentPassword,
    });
    expect(noCa.statusCode).toBe(409);
    expect(noCa.json().error.message).toBe(
      "this console did not create tcluster, so it holds no cluster CA to issue the new node's certificate",
    );
  });

  it("shows the cluster's refusal to delete a node that owns services", async () => {
    const message =
      'clusternode node2: service:webservice is started on it; relocate or disable it before removing node2';
    const { links } = clusterWithConfig({ rule: 'in-use', message });
    const admin = await createdCluster(scriptedBackend(okOutcome, []), links);
    const response = await admin.call('POST', '/api/clusters/tcluster/nodes/node2/delete', {});
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'CONSOLE_ACTION_REFUSED',
      message: `node2 was not removed: ${message}`,
    });
  });

  it('deletes a node from cluster.conf, then stops and removes its agent over SSH', async () => {
    const { links, texts } = clusterWithConfig();
    const backend = scriptedBackend(okOutcome, []);
    const uninstalled: string[] = [];
    backend.uninstall = async (node, onStep) => {
      uninstalled.push(`${node.name}@${node.host}`);
      onStep('stop', 'running');
      onStep('stop', 'done', 'stopped');
      onStep('uninstall', 'done', 'removed');
    };
    const admin = await createdCluster(backend, links);
    const response = await admin.call('POST', '/api/clusters/tcluster/nodes/node3/delete', {
      uninstall: sshAccess,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().text).toBe('node3 was removed from cluster.conf (config_version 2)');
    expect(texts[0]).not.toContain('name="node3"');
    const last = (await followTask(admin, response.json().task.id)).at(-1)!;
    expect(last.state).toBe('done');
    expect(last.nodes).toEqual([
      {
        node: '10.1.0.3',
        steps: [
          { step: 'stop', state: 'done', detail: 'stopped' },
          { step: 'uninstall', state: 'done', detail: 'removed' },
        ],
      },
    ]);
    expect(uninstalled).toEqual(['node3@10.1.0.3']);
  });

  it('deletes a cluster: uninstalls where SSH access is given, then forgets it; keeps it on failure', async () => {
    const { links } = clusterWithConfig();
    const backend = scriptedBackend(okOutcome, []);
    let failOn: string | null = 'node2';
    backend.uninstall = async (node, onStep) => {
      onStep('stop', 'running');
      if (node.name === failOn) throw new Error(`${node.host} port 22: wrong password for root`);
      onStep('stop', 'done');
      onStep('uninstall', 'done');
    };
    const admin = await createdCluster(backend, links);
    const body = { uninstall: { node1: sshAccess, node2: sshAccess } };
    const first = await admin.call('POST', '/api/clusters/tcluster/delete', body);
    const failed = (await followTask(admin, first.json().task.id)).at(-1)!;
    expect(failed.state).toBe('failed');
    expect(failed.summary).toBe(
      'tcluster was not deleted: 10.1.0.2 port 22: wrong password for root. The console keeps tcluster so that you can try again.',
    );
    expect(store!.clusters.byName('tcluster')).toBeDefined();
    failOn = null;
    const second = await admin.call('POST', '/api/clusters/tcluster/delete', body);
    const done = (await followTask(admin, second.json().task.id)).at(-1)!;
    expect(done.summary).toBe(
      'tcluster is deleted: its agents were stopped and removed from node1, node2, and the console forgot it. The agents on node3 were left as they are.',
    );
    expect(store!.clusters.list()).toEqual([]);
    const audit = (await admin.call('GET', '/api/audit')).body;
    expect(audit).not.toContain(sshPassword);
  });
});
