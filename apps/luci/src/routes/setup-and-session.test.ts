import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminPassword, startTestConsole, type TestConsole } from '../../testing/test-console.js';

let luci: TestConsole;
beforeEach(async () => {
  luci = await startTestConsole();
});
afterEach(() => luci.close());

describe('first start', () => {
  it('asks for the admin password once and then never again', async () => {
    const browser = luci.browser();
    expect((await browser.call('GET', '/api/setup')).json()).toEqual({ needsSetup: true });
    const created = await browser.call('POST', '/api/setup', { password: adminPassword });
    expect(created.statusCode).toBe(201);
    expect((await browser.call('GET', '/api/setup')).json()).toEqual({ needsSetup: false });
    const again = await browser.call('POST', '/api/setup', { password: 'a takeover password' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONSOLE_ALREADY_SET_UP');
    expect((await browser.login('admin', 'a takeover password')).statusCode).toBe(401);
  });

  it('has no default password: nobody can log in before the first start', async () => {
    const response = await luci.browser().login('admin', 'admin');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('CONSOLE_NOT_SET_UP');
  });

  it('refuses a short admin password naming the field and the rule', async () => {
    const response = await luci.browser().call('POST', '/api/setup', { password: 'short' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'CONSOLE_INVALID_REQUEST',
      field: 'password',
      message: 'password: a password has at least 12 characters',
    });
  });
});

describe('sessions', () => {
  it('set a __Host- cookie that is HttpOnly, Secure and SameSite=Strict', async () => {
    await luci.browser().call('POST', '/api/setup', { password: adminPassword });
    const response = await luci.browser().login('admin', adminPassword);
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-luci-session=[\w-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(response.json()).toMatchObject({
      user: { name: 'admin', admin: true },
      idleTimeoutMs: 1_800_000,
      clusterLinkAvailable: false,
    });
  });

  it('end after 30 idle minutes, and each request pushes the end back', async () => {
    const admin = await luci.asAdmin();
    luci.advance(29 * 60_000);
    expect((await admin.call('GET', '/api/session')).statusCode).toBe(200);
    luci.advance(29 * 60_000);
    expect((await admin.call('GET', '/api/session')).statusCode).toBe(200);
    luci.advance(30 * 60_000);
    const expired = await admin.call('GET', '/api/session');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('CONSOLE_NOT_SIGNED_IN');
  });

  it('end at sign-out; the old cookie no longer works', async () => {
    const admin = await luci.asAdmin();
    expect((await admin.call('DELETE', '/api/session')).statusCode).toBe(204);
    expect((await admin.call('GET', '/api/session')).statusCode).toBe(401);
  });

  it('answer a wrong password and an unknown user alike', async () => {
    await luci.asAdmin();
    const wrong = await luci.browser().login('admin', 'not the password');
    const unknown = await luci.browser().login('nobody', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });
});

describe('login rate limiting', () => {
  it('answers the sixth attempt after five wrong passwords with 429 and Retry-After', async () => {
    await luci.asAdmin();
    const attacker = luci.browser();
    for (let i = 0; i < 5; i++) {
      expect((await attacker.login('admin', `guess number ${i}`)).statusCode).toBe(401);
    }
    const limited = await attacker.login('admin', adminPassword);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.json().error.code).toBe('CONSOLE_LOGIN_RATE_LIMITED');
    luci.advance(60_000);
    expect((await attacker.login('admin', adminPassword)).statusCode).toBe(200);
  });
});

describe('password change', () => {
  it('counts wrong current passwords like wrong logins', async () => {
    const admin = await luci.asAdmin();
    const change = (currentPassword: string) =>
      admin.call('POST', '/api/session/password', {
        currentPassword,
        newPassword: 'the new admin password',
      });
    for (let i = 0; i < 5; i++) expect((await change(`guess number ${i}`)).statusCode).toBe(403);
    const limited = await change(adminPassword);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
  });

  it('needs the current password and ends the user’s other sessions', async () => {
    const admin = await luci.asAdmin();
    const elsewhere = luci.browser();
    await elsewhere.login('admin', adminPassword);
    const refused = await admin.call('POST', '/api/session/password', {
      currentPassword: 'wrong password!',
      newPassword: 'the new admin password',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.field).toBe('currentPassword');
    const changed = await admin.call('POST', '/api/session/password', {
      currentPassword: adminPassword,
      newPassword: 'the new admin password',
    });
    expect(changed.statusCode).toBe(204);
    expect((await admin.call('GET', '/api/session')).statusCode).toBe(200);
    expect((await elsewhere.call('GET', '/api/session')).statusCode).toBe(401);
    expect((await luci.browser().login('admin', 'the new admin password')).statusCode).toBe(200);
  });
});
