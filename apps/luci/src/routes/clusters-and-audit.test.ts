import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeClusterLinks,
  startTestConsole,
  type TestConsole,
} from '../../testing/test-console.js';

let luci: TestConsole | undefined;
afterEach(() => luci?.close());

const addRequest = { address: '192.0.2.1', agentPassword: 'agent secret' };

describe('adding a cluster', () => {
  it('is refused, saying why, while the console has no agent link', async () => {
    luci = await startTestConsole();
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/clusters', addRequest);
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('CONSOLE_LINK_UNAVAILABLE');
    expect(luci.store.clusters.list()).toEqual([]);
  });

  it('registers the cluster and every node the agents report, once', async () => {
    luci = await startTestConsole(fakeClusterLinks());
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/clusters', addRequest);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      name: 'webcluster',
      nodeCount: 3,
      link: { state: 'connected' },
    });
    const again = await admin.call('POST', '/api/clusters', addRequest);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('a cluster named "webcluster" has already been added');
  });
});

describe('the audit log', () => {
  it('records every change with user, cluster, result, and no secret', async () => {
    luci = await startTestConsole(fakeClusterLinks());
    const admin = await luci.asAdmin();
    await luci.browser().login('admin', 'a wrong password');
    await admin.call('POST', '/api/users', { name: 'operator', password: 'operator password 1' });
    await admin.call('POST', '/api/clusters', addRequest);
    await admin.call('DELETE', '/api/clusters/webcluster', undefined, {
      headers: { origin: 'https://evil.example' },
    });
    const { entries } = (await admin.call('GET', '/api/audit')).json();
    const summary = entries
      .reverse()
      .map((e: Record<string, unknown>) => [
        e.action,
        e.user,
        e.cluster,
        e.target,
        e.result,
        e.errorCode,
      ]);
    expect(summary).toEqual([
      ['console.setup', null, null, 'admin', 'ok', null],
      ['session.login', 'admin', null, null, 'ok', null],
      ['session.login', 'admin', null, null, 'refused', 'CONSOLE_LOGIN_FAILED'],
      ['user.create', 'admin', null, 'operator', 'ok', null],
      ['cluster.add', 'admin', 'webcluster', '192.0.2.1', 'ok', null],
      ['cluster.remove', null, 'webcluster', null, 'refused', 'CONSOLE_CROSS_SITE'],
    ]);
    const text = JSON.stringify(entries);
    for (const secret of [
      'operator password 1',
      'agent secret',
      'a wrong password',
      'first admin password',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(entries.find((e: { action: string }) => e.action === 'user.create').details).toEqual({
      name: 'operator',
      password: '[redacted]',
      admin: false,
    });
  });
});
