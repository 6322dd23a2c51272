import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../../testing/test-console.js';
import { checkRouteDeclarations } from './auth-plugin.js';

let luci: TestConsole;
beforeEach(async () => {
  luci = await startTestConsole();
});
afterEach(() => luci.close());

const newUser = { name: 'mallory', password: 'a long enough password' };

describe('cross-site requests', () => {
  it('are refused when the Origin is another site, even with cookie and CSRF token', async () => {
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/users', newUser, {
      headers: { origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CONSOLE_CROSS_SITE');
    expect(luci.store.users.byName('mallory')).toBeUndefined();
  });

  it('are refused without an Origin header', async () => {
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/users', newUser, { headers: { origin: '' } });
    expect(response.json().error.code).toBe('CONSOLE_CROSS_SITE');
  });

  it('are refused without the session’s CSRF token', async () => {
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/users', newUser, {
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CONSOLE_CSRF_TOKEN');
  });

  it('cannot use a text/plain body (what a cross-site form may send without asking)', async () => {
    const admin = await luci.asAdmin();
    const response = await admin.call('POST', '/api/users', JSON.stringify(newUser), {
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('CONSOLE_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('responses', () => {
  it('carry a strict content security policy and no framing', async () => {
    const response = await luci.browser().call('GET', '/api/health');
    expect(response.json()).toEqual({ status: 'ok' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
  });

  it('answer an unknown API path with a coded 404', async () => {
    const response = await luci.browser().call('GET', '/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('CONSOLE_NOT_FOUND');
  });
});

describe('route declarations', () => {
  const route = { handler: () => undefined };

  it('refuse an API route without an access rule', () => {
    expect(() => checkRouteDeclarations({ ...route, method: 'GET', url: '/api/x' })).toThrow(
      'route GET /api/x declares no access rule',
    );
  });

  it('refuse a state-changing API route without an audit action', () => {
    const config = { access: { kind: 'admin' as const } };
    expect(() =>
      checkRouteDeclarations({ ...route, method: 'POST', url: '/api/x', config }),
    ).toThrow('route POST /api/x changes state but declares no audit action');
    expect(() =>
      checkRouteDeclarations({ ...route, method: 'GET', url: '/api/x', config }),
    ).not.toThrow();
  });
});
