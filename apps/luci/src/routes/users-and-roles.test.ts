import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCluster, startTestConsole, type TestConsole } from '../../testing/test-console.js';

let luci: TestConsole;
beforeEach(async () => {
  luci = await startTestConsole();
});
afterEach(() => luci.close());

describe('user management', () => {
  it('lets an administrator create, list, reset and delete users', async () => {
    const admin = await luci.asAdmin();
    const created = await admin.call('POST', '/api/users', {
      name: 'operator',
      password: 'operator password 1',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'operator',
      admin: false,
      lastLoginAt: null,
      roles: {},
    });
    const names = (await admin.call('GET', '/api/users'))
      .json()
      .users.map((u: { name: string }) => u.name);
    expect(names).toEqual(['admin', 'operator']);
    const reset = await admin.call('PATCH', '/api/users/operator', {
      password: 'operator password 2',
    });
    expect(reset.statusCode).toBe(200);
    expect((await luci.browser().login('operator', 'operator password 2')).statusCode).toBe(200);
    expect((await admin.call('DELETE', '/api/users/operator')).statusCode).toBe(204);
    expect((await luci.browser().login('operator', 'operator password 2')).statusCode).toBe(401);
  });

  it('refuses a second user whose name differs only in case', async () => {
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/users', {
      name: 'ADMIN',
      password: 'a long password 1',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'CONSOLE_CONFLICT', field: 'name' });
  });

  it('keeps the last administrator and refuses deleting oneself', async () => {
    const admin = await luci.asAdmin();
    const demote = await admin.call('PATCH', '/api/users/admin', { admin: false });
    expect(demote.json().error.message).toBe(
      'cannot take away the admin role: "admin" is the last administrator',
    );
    const self = await admin.call('DELETE', '/api/users/admin');
    expect(self.json().error.message).toBe('you cannot delete your own account');
  });

  it('is for administrators only', async () => {
    const operator = await luci.asUser('operator');
    expect((await operator.call('GET', '/api/users')).statusCode).toBe(403);
    const create = await operator.call('POST', '/api/users', {
      name: 'x',
      password: 'a long password 1',
    });
    expect(create.statusCode).toBe(403);
    expect(create.json().error).toEqual({
      code: 'CONSOLE_FORBIDDEN',
      message: 'only an administrator may do this',
    });
    expect((await operator.call('GET', '/api/audit')).statusCode).toBe(403);
  });

  it('refuses a role on a cluster the console does not know, naming it', async () => {
    const admin = await luci.asAdmin();
    await admin.call('POST', '/api/users', { name: 'operator', password: 'operator password 1' });
    const response = await admin.call('PUT', '/api/users/operator/roles', {
      roles: { ghost: ['view'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      field: 'roles.ghost',
      message: 'no cluster named "ghost"',
    });
    const badRole = await admin.call('PUT', '/api/users/operator/roles', {
      roles: { ghost: ['root'] },
    });
    expect(badRole.json().error.field).toBe('roles.ghost.0');
  });
});

describe('per-cluster roles', () => {
  it('let a view-only user see the cluster and change nothing (403)', async () => {
    registerCluster(luci.store, 'alpha');
    const viewer = await luci.asUser('viewer', { alpha: ['view'] });
    const list = (await viewer.call('GET', '/api/clusters')).json();
    expect(list.clusters).toMatchObject([{ name: 'alpha', myRoles: ['view'], nodeCount: 1 }]);
    const remove = await viewer.call('DELETE', '/api/clusters/alpha');
    expect(remove.statusCode).toBe(403);
    expect(remove.json().error.message).toBe(
      'this needs the remove role on cluster "alpha", which viewer does not hold',
    );
    expect(luci.store.clusters.byName('alpha')).toBeDefined();
  });

  it('hide a cluster from a user without the view role', async () => {
    registerCluster(luci.store, 'alpha');
    const stranger = await luci.asUser('stranger');
    expect((await stranger.call('GET', '/api/clusters')).json().clusters).toEqual([]);
    const remove = await stranger.call('DELETE', '/api/clusters/alpha');
    expect(remove.statusCode).toBe(404);
  });

  it('let a user with the remove role remove the cluster', async () => {
    registerCluster(luci.store, 'alpha');
    const remover = await luci.asUser('remover', { alpha: ['view', 'remove'] });
    expect((await remover.call('DELETE', '/api/clusters/alpha')).statusCode).toBe(204);
    expect(luci.store.clusters.byName('alpha')).toBeUndefined();
  });

  it('give an administrator every role on every cluster', async () => {
    registerCluster(luci.store, 'alpha');
    const admin = await luci.asAdmin();
    const [alpha] = (await admin.call('GET', '/api/clusters')).json().clusters;
    expect(alpha.myRoles).toEqual([
      'view',
      'membership',
      'config',
      'node-commands',
      'service-commands',
      'remove',
    ]);
  });
});
