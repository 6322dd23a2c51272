import { describe, expect, it } from 'vitest';
import {
  type ConsoleMessage,
  type ConsoleRequest,
  decodeConsoleMessage,
  decodeConsoleRequest,
  encodeConsoleFrame,
  negotiateConsoleVersion,
} from './console-api.js';
import type { ClusterStatus } from './control-messages.js';

const fingerprint = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(
  ':',
);

const status: ClusterStatus = {
  cluster: {
    name: 'alpha',
    id: 1,
    generation: 2,
    configVersion: 3,
    agentVersion: '0.1.0',
    twoNode: false,
  },
  quorum: { quorate: true, totalVotes: 1, expectedVotes: 1, quorum: 1, leader: 'node1' },
  local: { name: 'node1', nodeId: 1, votes: 1, membership: 'member', addresses: [] },
  members: [],
  resourceManager: { running: false, locked: false },
  services: [],
};

function refusal(raw: string, maxBytes?: number) {
  const decoded = decodeConsoleRequest(raw, maxBytes);
  if (decoded.ok) throw new Error(`expected a refusal of ${raw}`);
  return { code: decoded.error.code, message: decoded.error.message, id: decoded.id };
}

describe('console API frames from the console', () => {
  it('round-trips a hello with a password and one with a certificate', () => {
    const frames: ConsoleRequest[] = [
      { type: 'hello', versions: [1], auth: { kind: 'password', password: 's3cret' } },
      { type: 'hello', versions: [1, 2], auth: { kind: 'certificate' } },
      { version: 1, id: 4, type: 'logs', limit: 10 },
      {
        version: 1,
        id: 5,
        type: 'action',
        action: { type: 'fence-ack', node: 'node2' },
      },
    ];
    for (const frame of frames) {
      expect(decodeConsoleRequest(encodeConsoleFrame(frame))).toEqual({ ok: true, frame });
    }
  });

  it('refuses a frame that is not JSON, too large, or of the wrong shape, naming the field', () => {
    expect(refusal('{"type":')).toMatchObject({ code: 'CONSOLE_API_FRAME_NOT_JSON' });
    expect(refusal(JSON.stringify({ version: 1, id: 1, type: 'status' }), 10)).toEqual({
      code: 'CONSOLE_API_FRAME_TOO_LARGE',
      message: '/: frame of 36 bytes is over the 10-byte limit',
      id: null,
    });
    expect(refusal(JSON.stringify({ version: 1, id: 7, type: 'logs', limit: 0 }))).toMatchObject({
      code: 'CONSOLE_API_FRAME_INVALID',
      message: expect.stringMatching(/^\/limit: /),
      id: 7,
    });
    expect(refusal(JSON.stringify({ version: 1, id: '7', type: 'status' }))).toMatchObject({
      code: 'CONSOLE_API_FRAME_INVALID',
      message: expect.stringMatching(/^\/id: /),
      id: null,
    });
    expect(
      refusal(JSON.stringify({ version: 1, id: 2, type: 'action', action: { type: 'reboot' } })),
    ).toMatchObject({ code: 'CONSOLE_API_FRAME_INVALID', id: 2 });
    expect(refusal(JSON.stringify({ version: 1, id: 3, type: 'status', extra: 1 }))).toMatchObject({
      code: 'CONSOLE_API_FRAME_INVALID',
      id: 3,
    });
  });

  it('refuses an empty or oversized password and an unknown auth kind', () => {
    const hello = (auth: unknown) => JSON.stringify({ type: 'hello', versions: [1], auth });
    expect(refusal(hello({ kind: 'password', password: '' })).message).toMatch(
      /^\/auth\/password: /,
    );
    expect(refusal(hello({ kind: 'password', password: 'x'.repeat(1025) })).code).toBe(
      'CONSOLE_API_FRAME_INVALID',
    );
    expect(refusal(hello({ kind: 'token', token: 'x' })).message).toMatch(/^\/auth\/kind: /);
  });

  it('refuses versions this side does not speak', () => {
    expect(
      refusal(JSON.stringify({ type: 'hello', versions: [7, 9], auth: { kind: 'certificate' } })),
    ).toEqual({
      code: 'CONSOLE_API_VERSION_UNSUPPORTED',
      message: '/versions: none of 7, 9 is a version this side speaks (1)',
      id: null,
    });
    expect(refusal(JSON.stringify({ version: 2, id: 9, type: 'status' }))).toEqual({
      code: 'CONSOLE_API_VERSION_UNSUPPORTED',
      message: '/version: version 2 is not one this side speaks (1)',
      id: 9,
    });
    expect(negotiateConsoleVersion([1, 2, 3], [1, 2])).toBe(2);
    expect(negotiateConsoleVersion([3], [1, 2])).toBeNull();
  });
});

describe('console API frames from the agent', () => {
  it('round-trips welcome, status pushes, tasks, events and errors', () => {
    const frames: ConsoleMessage[] = [
      {
        type: 'welcome',
        version: 1,
        node: 'node1',
        cluster: 'alpha',
        configVersion: 3,
        nodes: [{ name: 'node1', address: '10.0.0.1', port: 11111, agentFingerprint: fingerprint }],
        agentFingerprint: fingerprint,
        auth: 'password',
      },
      { version: 1, id: null, type: 'status', status },
      { version: 1, id: 3, type: 'accepted', taskId: 'node1-1' },
      { version: 1, type: 'task', taskId: 'node1-1', state: 'running' },
      {
        version: 1,
        type: 'task',
        taskId: 'node1-1',
        state: 'done',
        result: { type: 'fence-ack', ok: true, message: 'acknowledged' },
      },
      {
        version: 1,
        type: 'event',
        event: {
          kind: 'service',
          node: 'node1',
          atMs: 5,
          service: 'service:web',
          state: 'started',
          owner: 'node1',
          partial: false,
        },
      },
      {
        version: 1,
        id: null,
        type: 'error',
        code: 'CONSOLE_API_AUTH_RATE_LIMITED',
        message: 'wait',
        retryAfterMs: 60_000,
      },
    ];
    for (const frame of frames) {
      expect(decodeConsoleMessage(encodeConsoleFrame(frame))).toEqual({ ok: true, frame });
    }
  });

  it('refuses a malformed fingerprint and a task result of the wrong shape', () => {
    const welcome = {
      type: 'welcome',
      version: 1,
      node: 'node1',
      cluster: 'alpha',
      configVersion: 0,
      nodes: [{ name: 'node1', address: 'node1', port: 11111, agentFingerprint: null }],
      agentFingerprint: 'ab:cd',
      auth: 'certificate',
    };
    const decoded = decodeConsoleMessage(JSON.stringify(welcome));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.message).toMatch(/^\/agentFingerprint: a fingerprint/);
    const task = { version: 1, type: 'task', taskId: 't', state: 'done', result: { type: 'rm' } };
    expect(decodeConsoleMessage(JSON.stringify(task))).toMatchObject({
      ok: false,
      error: { code: 'CONSOLE_API_FRAME_INVALID' },
    });
  });

  it('reads who trusts the console in a welcome, and the answer to a revocation', () => {
    const fingerprint = Array.from({ length: 32 }, () => '0F').join(':');
    const welcome = {
      type: 'welcome',
      version: 1,
      node: 'node1',
      cluster: 'alpha',
      configVersion: 2,
      nodes: [{ name: 'node1', address: 'node1', port: 11111, agentFingerprint: fingerprint }],
      agentFingerprint: fingerprint,
      auth: 'password',
      consoleTrust: 'cluster',
    } as const;
    expect(decodeConsoleMessage(JSON.stringify(welcome))).toEqual({ ok: true, frame: welcome });
    const revoked = {
      version: 1,
      id: 4,
      type: 'console-revoked',
      fingerprint,
      cluster: false,
      message: 'no quorum',
    } as const;
    expect(decodeConsoleMessage(JSON.stringify(revoked))).toEqual({ ok: true, frame: revoked });
    const unknown = { ...welcome, consoleTrust: 'everyone' };
    expect(decodeConsoleMessage(JSON.stringify(unknown))).toMatchObject({
      ok: false,
      error: { code: 'CONSOLE_API_FRAME_INVALID' },
    });
  });
});

describe('revoke-console from the console', () => {
  it("revokes the connection's own certificate by default, or the one named", () => {
    const own = { version: 1, id: 3, type: 'revoke-console' } as const;
    expect(decodeConsoleRequest(JSON.stringify(own))).toEqual({ ok: true, frame: own });
    const named = { ...own, fingerprint: 'not-a-fingerprint' };
    expect(decodeConsoleRequest(JSON.stringify(named))).toMatchObject({
      ok: false,
      id: 3,
      error: { message: expect.stringMatching(/^\/fingerprint: a fingerprint is 32/) },
    });
  });
});
