import type { ControlAction } from '@quorate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeCluster,
  lastAudit,
  startWithFakeCluster,
  type TestBrowser,
  type TestConsole,
} from '../../testing/test-console.js';
import { TaskCutOff } from '../cluster-link/agent-session.js';

let luci: TestConsole | undefined;
afterEach(async () => {
  await luci?.close();
  luci = undefined;
});

const leave: ControlAction = {
  type: 'node',
  request: { kind: 'leave', remove: false, force: false },
};

/** A console with the fake cluster added by the admin. */
async function withCluster(cluster = new FakeCluster()) {
  const started = await startWithFakeCluster(cluster);
  luci = started.console;
  return started;
}

async function eventMessages(admin: TestBrowser): Promise<string[]> {
  const view = (await admin.call('GET', '/api/clusters/webcluster/status')).json();
  return view.events.map((e: { message: string }) => e.message);
}

describe('leave (cman_tool leave)', () => {
  it('is asked of that node’s own agent, audited, and the node shows as left, not fenced', async () => {
    const { admin, cluster } = await withCluster();
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node3/leave', {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ text: 'cman_tool leave on node3: leaving the cluster' });
    expect(cluster.actionsAt).toEqual([{ node: 'node3', action: leave }]);
    expect(await lastAudit(admin)).toEqual([
      'node.leave',
      'admin',
      'webcluster',
      'node3',
      'ok',
      null,
    ]);
    expect(await eventMessages(admin)).toEqual(['node3 left the cluster']);
    const view = (await admin.call('GET', '/api/clusters/webcluster/status')).json();
    expect(view.status.quorum.quorate).toBe(true);
  });

  it('shows a left node as left even when no agent told of the leave (the linked one left)', async () => {
    const cluster = new FakeCluster();
    cluster.answer = (_action, node) => {
      cluster.powerOff(node ?? '');
      return { type: 'node', ok: true, message: 'leaving the cluster' };
    };
    const { admin } = await withCluster(cluster);
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node1/leave', {});
    expect(response.statusCode).toBe(200);
    expect(await eventMessages(admin)).toEqual(['node1 left the cluster']);
  });

  it('counts the agent closing its link after it took the request as leaving', async () => {
    const cluster = new FakeCluster();
    cluster.answer = () =>
      Promise.reject(new TaskCutOff('node3: the link closed (1006) before the task ended'));
    const { admin } = await withCluster(cluster);
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node3/leave', {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      text: 'cman_tool leave on node3: accepted; its agent closed the link as it leaves',
    });
    cluster.powerOff('node3');
    expect(await eventMessages(admin)).toEqual(['node3 left the cluster']);
  });

  it('is refused for a node that is not a member now (409) or not in the cluster (404)', async () => {
    const { admin, cluster } = await withCluster();
    cluster.powerOff('node2');
    const offline = await admin.call('POST', '/api/clusters/webcluster/nodes/node2/leave', {});
    expect(offline.statusCode).toBe(409);
    expect(offline.json().error).toEqual({
      code: 'CONSOLE_CONFLICT',
      message: 'node2 is not a member of cluster "webcluster" now: only a member can leave',
    });
    const unknown = await admin.call('POST', '/api/clusters/webcluster/nodes/node9/leave', {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('cluster "webcluster" has no node named "node9"');
    expect(cluster.actions).toEqual([]);
  });

  it('answers 503 naming the node when its agent does not answer, and nothing is marked left', async () => {
    const cluster = new FakeCluster();
    cluster.answer = () => Promise.reject(new Error('connect ETIMEDOUT'));
    const { admin } = await withCluster(cluster);
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node3/leave', {});
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toEqual({
      code: 'CONSOLE_LINK_UNAVAILABLE',
      message: 'the agent of node3 did not answer: connect ETIMEDOUT',
    });
    expect((await lastAudit(admin)).slice(4)).toEqual(['failed', 'CONSOLE_LINK_UNAVAILABLE']);
    // The node then lost for another reason is lost, and fenced, as any other.
    cluster.powerOff('node3');
    expect(await eventMessages(admin)).toEqual([
      'Fencing node3: its services recover once the fence succeeds',
      'node3 is offline',
    ]);
  });
});

describe('fence now (fence_node)', () => {
  it('is sent to the cluster as a node request, audited, and answered in the agent’s words', async () => {
    const { admin, cluster } = await withCluster();
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node2/fence', {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ text: 'fence_node node2: fence of node2 succeeded' });
    expect(cluster.actions).toEqual([{ type: 'node', request: { kind: 'fence', node: 'node2' } }]);
    expect(cluster.actionsAt).toEqual([]);
    expect(await lastAudit(admin)).toEqual([
      'node.fence',
      'admin',
      'webcluster',
      'node2',
      'ok',
      null,
    ]);
    expect(await eventMessages(admin)).toContain('node2 was fenced');
  });

  it('passes the agent’s refusal through as a failed outcome with its message', async () => {
    const cluster = new FakeCluster();
    cluster.answer = () => ({
      type: 'node',
      ok: false,
      message: 'cman_tool fence: not supported yet by this agent',
    });
    const { admin } = await withCluster(cluster);
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node2/fence', {});
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toEqual({
      code: 'CONSOLE_ACTION_REFUSED',
      message: 'fence_node node2 failed: cman_tool fence: not supported yet by this agent',
    });
    expect((await lastAudit(admin)).slice(0, 6)).toEqual([
      'node.fence',
      'admin',
      'webcluster',
      'node2',
      'refused',
      'CONSOLE_ACTION_REFUSED',
    ]);
  });
});

describe('node commands need the node-commands role', () => {
  it('answer 403 to view-only and service-commands users, and the cluster hears nothing', async () => {
    const { console, cluster } = await withCluster();
    const viewer = await console.asUser('viewer', { webcluster: ['view'] });
    const operator = await console.asUser('operator', { webcluster: ['view', 'service-commands'] });
    for (const user of [viewer, operator]) {
      for (const command of ['leave', 'fence']) {
        const path = `/api/clusters/webcluster/nodes/node3/${command}`;
        const response = await user.call('POST', path, {});
        expect(response.statusCode, path).toBe(403);
        expect(response.json().error.code).toBe('CONSOLE_FORBIDDEN');
      }
    }
    expect(cluster.actions).toEqual([]);
    const fencer = await console.asUser('fencer', { webcluster: ['view', 'node-commands'] });
    const left = await fencer.call('POST', '/api/clusters/webcluster/nodes/node3/leave', {});
    expect(left.statusCode).toBe(200);
  });

  it('refuse a body with fields (JSON {} only)', async () => {
    const { admin, cluster } = await withCluster();
    const response = await admin.call('POST', '/api/clusters/webcluster/nodes/node3/leave', {
      force: true,
    });
    expect(response.statusCode).toBe(400);
    expect(cluster.actions).toEqual([]);
  });
});
