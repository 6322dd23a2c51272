import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { AgentRequestError, AgentUnavailableError, connectControlSocket } from './connect.js';

// The client against a hand-written peer, to drive the failures a real agent should not have:
// silence, a dropped connection, answers outside the protocol.

async function fakeAgent(onLine: (line: string, socket: Socket) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'quorate-client-'));
  const path = join(dir, 'agent.sock');
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        onLine(buffer.slice(0, nl), socket);
        buffer = buffer.slice(nl + 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        }),
      ),
  );
  return path;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AgentRequestError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('connectControlSocket', () => {
  test('a missing socket is AgentUnavailableError with its errno code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorate-client-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'none.sock');
    const refused = await connectControlSocket(path).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgentUnavailableError);
    expect((refused as AgentUnavailableError).code).toBe('ENOENT');
    expect((refused as AgentUnavailableError).path).toBe(path);
  });

  test('an agent that never answers times out; one that hangs up fails the request', async () => {
    const silent = await connectControlSocket(await fakeAgent(() => {}), { timeoutMs: 50 });
    onTestFinished(() => silent.close());
    expect(await failure(silent.status())).toEqual({
      code: 'CONTROL_TIMEOUT',
      message: 'no answer in 50 ms',
    });
    const rude = await connectControlSocket(await fakeAgent((_, socket) => socket.destroy()));
    expect(await failure(rude.status())).toEqual({
      code: 'CONTROL_CLOSED',
      message: 'the agent closed the connection',
    });
  });

  test('an answer outside the protocol, or an error frame, fails with its code', async () => {
    const garbled = await connectControlSocket(
      await fakeAgent((_, socket) => socket.write('{"version":1,"id":1,"type":"status"}\n')),
    );
    onTestFinished(() => garbled.close());
    const refused = await failure(garbled.status());
    expect(refused.code).toBe('CONTROL_FRAME_INVALID');
    expect(refused.message).toMatch(/^the agent's answer was refused: \/status: /);

    const erring = await connectControlSocket(
      await fakeAgent((line, socket) => {
        const { id } = JSON.parse(line) as { id: number };
        const error = {
          version: 1,
          id,
          type: 'error',
          code: 'CONTROL_REQUEST_FAILED',
          message: 'boom',
        };
        socket.write(`${JSON.stringify(error)}\n`);
      }),
    );
    onTestFinished(() => erring.close());
    expect(await failure(erring.request({ type: 'fence-ack', node: 'n1' }))).toEqual({
      code: 'CONTROL_REQUEST_FAILED',
      message: 'boom',
    });
  });

  test('a status answer to an action is refused as the wrong frame', async () => {
    const confused = await connectControlSocket(
      await fakeAgent((line, socket) => {
        const { id } = JSON.parse(line) as { id: number };
        const result = { type: 'node', ok: true, message: '' };
        socket.write(`${JSON.stringify({ version: 1, id, type: 'result', result })}\n`);
      }),
    );
    onTestFinished(() => confused.close());
    expect(await failure(confused.status())).toEqual({
      code: 'CONTROL_FRAME_INVALID',
      message: 'the agent answered with a result frame where a status frame was due',
    });
  });
});
