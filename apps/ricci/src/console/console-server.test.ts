import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ControllerEvent, ObserverEvent } from '@quorate/core';
import type { ConsoleMessage } from '@quorate/protocol';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  Client,
  closeAfterTest,
  consoleIdentity,
  HOST,
  is,
  MAX_FRAME_BYTES,
  node2,
  otherConsole,
  PASSWORD,
  signIn,
  startAgent,
  statusWith,
} from '../../testing/console-api-kit.js';
import { PEER_PATH } from '../transport/transport-types.js';
import { CONSOLE_DIR } from './agent-password.js';
import { TRUSTED_CONSOLES_FILE } from './trusted-consoles.js';

// Agents on loopback (127.0.0.1) in this process; agents on test hosts are the daemon's tests.
// The cluster's trusted consoles are in console-trust.test.ts.

describe('console API authentication', () => {
  it('welcomes the right password, pins the certificate, and then needs no password', async () => {
    const agent = await startAgent();
    const client = await Client.open(agent.port, consoleIdentity);
    client.send({
      type: 'hello',
      versions: [1, 2],
      auth: { kind: 'password', password: PASSWORD },
    });
    const welcome = await client.next(is('welcome'));
    expect(welcome).toMatchObject({
      version: 1,
      node: 'node1',
      cluster: 'alpha',
      configVersion: 3,
      auth: 'password',
      nodes: [
        {
          name: 'node1',
          address: HOST,
          port: agent.port,
          agentFingerprint: welcome.agentFingerprint,
        },
        { name: 'node2', address: '127.0.0.2', port: 11111, agentFingerprint: null },
      ],
    });
    const file = join(agent.stateDir, CONSOLE_DIR, TRUSTED_CONSOLES_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const pinned = (await agent.logs.until('console-pinned')).fingerprint as string;
    expect(readFileSync(file, 'utf8')).toContain(pinned);

    const again = await Client.open(agent.port, consoleIdentity);
    again.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
    expect(await again.next(is('welcome'))).toMatchObject({ auth: 'certificate' });

    const stranger = await Client.open(agent.port, otherConsole);
    stranger.send({ type: 'hello', versions: [1], auth: { kind: 'certificate' } });
    expect(await stranger.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
    });
    expect(await stranger.untilClosed()).toBe(1008);
  });

  it('refuses a wrong password, closes, and logs the attempt without the password', async () => {
    const agent = await startAgent();
    const client = await Client.open(agent.port, consoleIdentity);
    const guess = 'wrong-guess-7f3a9c';
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: guess } });
    expect(await client.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_AUTH_FAILED',
      id: null,
    });
    expect(await client.untilClosed()).toBe(1008);
    const failed = await agent.logs.until('console-auth-failed');
    expect(failed).toMatchObject({ remote: HOST, failures: 1 });
    expect(JSON.stringify(agent.logs.lines)).not.toContain(guess);
    expect(JSON.stringify(agent.logs.lines)).not.toContain(PASSWORD);
    expect(agent.logs.lines.some((l) => l.event === 'console-pinned')).toBe(false);
  });

  it('rate limits wrong passwords per address, even a right one after them, until the window ends', async () => {
    const agent = await startAgent();
    for (let i = 0; i < 5; i++) {
      const client = await Client.open(agent.port, consoleIdentity);
      client.send({
        type: 'hello',
        versions: [1],
        auth: { kind: 'password', password: `bad-${i}` },
      });
      expect(await client.next(is('error'))).toMatchObject({ code: 'CONSOLE_API_AUTH_FAILED' });
    }
    agent.clockMs += 10_000;
    const limited = await Client.open(agent.port, consoleIdentity);
    limited.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await limited.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_AUTH_RATE_LIMITED',
      retryAfterMs: 50_000,
    });
    expect(await agent.logs.until('console-auth-rate-limited')).toMatchObject({ remote: HOST });
    agent.clockMs += 50_000;
    const later = await Client.open(agent.port, consoleIdentity);
    later.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await later.next(is('welcome'))).toMatchObject({ auth: 'password' });
  });

  it('limits guesses sent side by side as strictly as guesses sent one after another', async () => {
    const agent = await startAgent();
    const guessers = await Promise.all(
      Array.from({ length: 8 }, () => Client.open(agent.port, consoleIdentity)),
    );
    guessers.forEach((client, i) => {
      client.send({
        type: 'hello',
        versions: [1],
        auth: { kind: 'password', password: `guess-${i}` },
      });
    });
    const codes = await Promise.all(
      guessers.map(async (client) => (await client.next(is('error'))).code),
    );
    expect(codes.filter((code) => code === 'CONSOLE_API_AUTH_FAILED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'CONSOLE_API_AUTH_RATE_LIMITED')).toHaveLength(3);
  });

  it('answers nothing before a hello, and says when no agent password is set', async () => {
    const agent = await startAgent({ password: false });
    const early = await Client.open(agent.port, consoleIdentity);
    early.request({ type: 'status' });
    expect(await early.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_NOT_AUTHENTICATED',
      id: 1,
    });
    expect(await early.untilClosed()).toBe(1008);
    const client = await Client.open(agent.port, consoleIdentity);
    client.send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await client.next(is('error'))).toMatchObject({ code: 'CONSOLE_API_NO_PASSWORD' });
  });
});

describe('peers and consoles on one port', () => {
  it('cuts a certificate from outside the cluster CA before the peer endpoint reads a frame', async () => {
    const agent = await startAgent();
    const outsider = new WebSocket(`wss://${HOST}:${agent.port}${PEER_PATH}`, {
      cert: consoleIdentity.certPem,
      key: consoleIdentity.keyPem,
      rejectUnauthorized: false,
    });
    closeAfterTest(outsider);
    const outcome = await new Promise<string>((resolve) => {
      outsider.once('open', () => resolve('open'));
      outsider.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    expect(await agent.logs.until('peer-refused')).toMatchObject({
      reason: expect.stringContaining('not from the cluster CA'),
    });
    // The same request with node2's certificate from the cluster CA is let in.
    const peer = new WebSocket(`wss://${HOST}:${agent.port}${PEER_PATH}`, {
      cert: node2.certPem,
      key: node2.keyPem,
      rejectUnauthorized: false,
    });
    closeAfterTest(peer);
    await new Promise<void>((resolve, reject) => {
      peer.once('open', () => resolve());
      peer.once('error', reject);
    });
    expect(agent.received).toEqual([]);
  });
});

describe('console API requests', () => {
  it('answers status, config, metadata and logs, and survives a malformed frame', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    client.send('{"not json');
    expect(await client.next(is('error'))).toMatchObject({ code: 'CONSOLE_API_FRAME_NOT_JSON' });
    client.request({ type: 'logs', padding: 'x'.repeat(MAX_FRAME_BYTES) });
    expect(await client.next(is('error'))).toMatchObject({
      code: 'CONSOLE_API_FRAME_TOO_LARGE',
      message: expect.stringContaining(`over the ${MAX_FRAME_BYTES}-byte limit`),
    });
    expect(await agent.logs.until('console-frame-refused')).toMatchObject({
      code: 'CONSOLE_API_FRAME_NOT_JSON',
    });
    const statusId = client.request({ type: 'status' });
    expect(await client.next(is('status'))).toEqual({
      version: 1,
      id: statusId,
      type: 'status',
      status: agent.provider.current,
    });
    client.request({ type: 'config' });
    expect(await client.next(is('config'))).toMatchObject({ config: { version: 3 } });
    client.request({ type: 'metadata' });
    expect(await client.next(is('metadata'))).toMatchObject({
      metadata: { node: 'node1', hostname: 'host1', failures: [{ type: 'ocf:x:y' }] },
    });
    client.request({ type: 'logs', limit: 500 });
    const logs = await client.next(is('logs'));
    expect(logs.lines.map((line) => line.event)).toEqual(['started']);
  });

  it('answers an action with a task id, then running, then the result; a failure fails the task', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    const id = client.request({ type: 'action', action: { type: 'fence-ack', node: 'node2' } });
    const accepted = await client.next(is('accepted'));
    expect(accepted.id).toBe(id);
    const forTask = (state: string) => (frame: ConsoleMessage) =>
      frame.type === 'task' && frame.taskId === accepted.taskId && frame.state === state;
    await client.next(forTask('running'));
    expect(await client.next(forTask('done'))).toMatchObject({
      result: { type: 'fence-ack', ok: true },
    });
    expect(agent.provider.actions).toEqual([{ type: 'fence-ack', node: 'node2' }]);

    client.request({
      type: 'action',
      action: { type: 'node', request: { kind: 'votes', votes: 2 } },
    });
    const second = await client.next(is('accepted'));
    expect(second.taskId).not.toBe(accepted.taskId);
    const failed = await client.next(
      (frame) =>
        frame.type === 'task' && frame.taskId === second.taskId && frame.state === 'failed',
    );
    expect(failed).toMatchObject({
      code: 'CONSOLE_API_REQUEST_FAILED',
      message: 'cman_tool votes: not supported yet',
    });
  });

  it('pushes transitions as events and the status once per change, coalesced within a tick', async () => {
    const agent = await startAgent();
    const client = await signIn(agent);
    client.request({ type: 'subscribe' });
    await client.next(is('subscribed'));
    const baseline = await client.next(is('status'));
    expect(baseline).toMatchObject({ id: null, status: { quorum: { quorate: true } } });

    agent.provider.current = statusWith(false);
    const quorumLost: ObserverEvent = {
      type: 'quorum-changed',
      quorate: false,
      votes: 1,
      expectedVotes: 3,
      quorum: 2,
    };
    const serviceStopped: ControllerEvent = {
      type: 'service-state-changed',
      service: 'service:web',
      state: 'stopped',
      owner: undefined,
      partial: false,
    };
    agent.api.coreEvent(quorumLost);
    agent.api.coreEvent(serviceStopped);
    agent.api.coreEvent({
      type: 'entry-committed',
      entry: { index: 4, term: 2, kind: 'command', data: '' },
    });
    expect(await client.next(is('event'))).toMatchObject({
      event: { kind: 'quorum', node: 'node1', quorate: false, quorum: 2, atMs: agent.clockMs },
    });
    expect(await client.next(is('event'))).toMatchObject({
      event: { kind: 'service', service: 'service:web', state: 'stopped', owner: null },
    });
    expect(await client.next(is('status'))).toMatchObject({
      id: null,
      status: { quorum: { quorate: false } },
    });

    // A change the status does not show is not pushed; the next real one is, alone.
    agent.api.statusChanged();
    agent.provider.current = statusWith(true);
    agent.api.statusChanged();
    expect(await client.next(is('status'))).toMatchObject({
      status: { quorum: { quorate: true } },
    });
    expect(client.frames.filter((frame) => frame.type === 'status')).toEqual([]);
  });
});
