import { describe, expect, it } from 'vitest';
import {
  addClusterRequestSchema,
  createUserRequestSchema,
  liveMessageSchema,
  serviceActionBodySchema,
  serviceActionParamsSchema,
  setRolesRequestSchema,
  userNameSchema,
} from './browser-api.js';

describe('console browser API schemas', () => {
  it('take a user name as data, markup included, but no control characters or edge spaces', () => {
    expect(userNameSchema.safeParse('<img src=x onerror=alert(1)>').success).toBe(true);
    expect(userNameSchema.safeParse('Ærlig Åse').success).toBe(true);
    expect(userNameSchema.safeParse('tab\there').error?.issues[0]?.message).toBe(
      'a user name has no control characters',
    );
    expect(userNameSchema.safeParse(' admin').error?.issues[0]?.message).toBe(
      'a user name does not start or end with a space',
    );
  });

  it('require 12-character passwords for new users and default them to non-admin', () => {
    expect(createUserRequestSchema.parse({ name: 'op', password: 'x'.repeat(12) })).toEqual({
      name: 'op',
      password: 'x'.repeat(12),
      admin: false,
    });
    const short = createUserRequestSchema.safeParse({ name: 'op', password: 'x'.repeat(11) });
    expect(short.error?.issues[0]).toMatchObject({
      path: ['password'],
      message: 'a password has at least 12 characters',
    });
  });

  it('know only luci’s six roles', () => {
    expect(setRolesRequestSchema.safeParse({ roles: { alpha: ['view', 'remove'] } }).success).toBe(
      true,
    );
    expect(setRolesRequestSchema.safeParse({ roles: { alpha: ['root'] } }).success).toBe(false);
  });

  it('default the agent port to ricci’s 11111 and refuse unknown fields', () => {
    expect(addClusterRequestSchema.parse({ address: 'node1', agentPassword: 'p' }).port).toBe(
      11111,
    );
    expect(
      addClusterRequestSchema.safeParse({ address: 'node1', agentPassword: 'p', extra: 1 }).success,
    ).toBe(false);
  });

  it('accept the live messages and nothing else', () => {
    expect(liveMessageSchema.parse({ type: 'session-ended', reason: 'expired' }).type).toBe(
      'session-ended',
    );
    expect(liveMessageSchema.safeParse({ type: 'session-ended', reason: 'bored' }).success).toBe(
      false,
    );
    expect(liveMessageSchema.safeParse({ type: 'reload-page' }).success).toBe(false);
  });

  it('take a member only for the actions that place a service, and require it for migrate', () => {
    expect(serviceActionBodySchema('relocate').parse({})).toEqual({});
    expect(serviceActionBodySchema('relocate').parse({ node: 'node1' })).toEqual({ node: 'node1' });
    expect(serviceActionBodySchema('migrate').safeParse({}).error?.issues[0]?.path).toEqual([
      'node',
    ]);
    expect(serviceActionBodySchema('disable').safeParse({ node: 'node1' }).success).toBe(false);
    expect(serviceActionBodySchema('enable').safeParse({ node: 'no spaces' }).success).toBe(false);
  });

  it('take service ids as rgmanager spells them, markup included', () => {
    const params = (service: string) =>
      serviceActionParamsSchema.safeParse({ cluster: 'c', service });
    expect(params('service:<img src=x onerror=alert(1)>').success).toBe(true);
    expect(params('webservice').error?.issues[0]?.message).toBe(
      'a service id is TYPE:NAME, e.g. service:web',
    );
  });
});
