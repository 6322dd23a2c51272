import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTROL_PROTOCOL_VERSION,
  type ControlRequest,
  type ControlResponse,
  decodeControlRequest,
  encodeControlFrame,
} from '@quorate/protocol';
import { onTestFinished } from 'vitest';

/** What the fake agent answers a request with (without version and id), or null for nothing. */
export type FakeAnswer = (
  request: ControlRequest,
) => Omit<ControlResponse, 'version' | 'id'> | null;

/** A fresh folder for sockets, removed after the test. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quorate-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A hand-written agent on a real Unix socket (at `path`, or in a fresh folder), closed after the
 * test; `env` points the commands at it.
 */
export async function serveFakeAgent(
  answer: FakeAnswer,
  path = join(scratchDir(), 'ricci.sock'),
): Promise<{ env: { QUORATE_SOCKET: string } }> {
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const decoded = decodeControlRequest(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (!decoded.ok) continue;
        const reply = answer(decoded.frame);
        if (reply === null) continue;
        const { id } = decoded.frame;
        const frame = { ...reply, version: CONTROL_PROTOCOL_VERSION, id } as ControlResponse;
        socket.write(encodeControlFrame(frame));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { env: { QUORATE_SOCKET: path } };
}
