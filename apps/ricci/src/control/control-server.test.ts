import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterStatus, ControlAction, ControlResult } from '@quorate/protocol';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { ControlProvider } from './control-provider.js';
import { serveControlSocket } from './control-server.js';

const status: ClusterStatus = {
  cluster: {
    name: 'tcluster',
    id: 1,
    generation: 1,
    configVersion: 2,
    agentVersion: '1.0.0',
    twoNode: false,
  },
  quorum: { quorate: true, totalVotes: 1, expectedVotes: 1, quorum: 1, leader: 'node1' },
  local: { name: 'node1', nodeId: 1, votes: 1, membership: 'member', addresses: [] },
  members: [],
  resourceManager: { running: true, locked: false },
  services: [],
};

const plain: ControlProvider = {
  status: () => status,
  clusterConf: () => null,
  request: async () => ({ type: 'node', ok: true, message: '' }),
};

/** A process listens on `path` and is SIGKILLed, so its socket file stays behind. */
async function leaveSocketOfKilledProcess(path: string): Promise<void> {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`;
  const child = spawn(process.execPath, ['-e', script]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ricci-control-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Logged {
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

async function serve(provider: Partial<ControlProvider>, maxFrameBytes?: number) {
  const path = join(scratch(), 'run', 'ricci.sock');
  const logged: Logged[] = [];
  const server = await serveControlSocket({
    path,
    provider: {
      status: provider.status ?? (() => status),
      clusterConf: provider.clusterConf ?? (() => null),
      request: provider.request ?? (async () => ({ type: 'node', ok: true, message: '' })),
    },
    log: (level, event, fields) => logged.push({ level, event, fields }),
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
  });
  onTestFinished(() => server.close());
  return { path, server, logged };
}

/** Writes `lines` on one connection and collects `count` response lines, parsed. */
function exchange(path: string, lines: string[], count: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffer = '';
    const responses: unknown[] = [];
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        responses.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
      if (responses.length >= count) {
        socket.destroy();
        resolve(responses);
      }
    });
    socket.write(lines.map((l) => `${l}\n`).join(''));
  });
}

const statusRequest = (id: number) => JSON.stringify({ version: 1, id, type: 'status' });

describe('serveControlSocket', () => {
  test('creates a 0600 socket in a 0700 directory and answers a status request', async () => {
    const { path } = await serve({});
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(await exchange(path, [statusRequest(1)], 1)).toEqual([
      { version: 1, id: 1, type: 'status', status },
    ]);
  });

  test("answers a config request with the provider's committed cluster.conf", async () => {
    const committed = { version: 3, text: '<cluster name="tcluster" config_version="3"/>' };
    const { path } = await serve({ clusterConf: () => committed });
    expect(
      await exchange(path, [JSON.stringify({ version: 1, id: 8, type: 'config' })], 1),
    ).toEqual([{ version: 1, id: 8, type: 'config', config: committed }]);
  });

  test('refuses malformed frames with typed errors, logs them, and keeps the connection', async () => {
    const { path, logged } = await serve({});
    const badVotes = JSON.stringify({
      version: 1,
      id: 2,
      type: 'action',
      action: { type: 'node', request: { kind: 'votes', votes: -1 } },
    });
    const responses = await exchange(path, ['not json', badVotes, statusRequest(3)], 3);
    expect(responses[0]).toEqual({
      version: 1,
      id: null,
      type: 'error',
      code: 'CONTROL_FRAME_NOT_JSON',
      message: '/: the frame is not JSON',
    });
    expect(responses[1]).toMatchObject({ id: 2, type: 'error', code: 'CONTROL_FRAME_INVALID' });
    expect((responses[1] as { message: string }).message).toMatch(/^\/action\/request\/votes: /);
    expect(responses[2]).toMatchObject({ id: 3, type: 'status' });
    expect(logged.map((l) => l.fields.code)).toEqual([
      'CONTROL_FRAME_NOT_JSON',
      'CONTROL_FRAME_INVALID',
    ]);
  });

  test('an oversized line is skipped unread and answered; the next request still works', async () => {
    const { path } = await serve({}, 200);
    const responses = await exchange(path, ['x'.repeat(5000), statusRequest(4)], 2);
    expect(responses[0]).toEqual({
      version: 1,
      id: null,
      type: 'error',
      code: 'CONTROL_FRAME_TOO_LARGE',
      message: '/: frame of 5000 bytes is over the 200-byte limit',
    });
    expect(responses[1]).toMatchObject({ id: 4, type: 'status' });
  });

  test("a provider's failure or invalid answer is CONTROL_REQUEST_FAILED, logged", async () => {
    const request = async (action: ControlAction): Promise<ControlResult> => {
      if (action.type === 'fence-ack') throw new Error('fence runner is gone');
      if (action.type === 'node') return { type: 'fence-ack', ok: true, message: '' };
      return { type: 'rm', code: 5, message: 'positive', owner: null };
    };
    const { path, logged } = await serve({
      request,
      status: () => ({ ...status, quorum: { ...status.quorum, quorum: -1 } }),
    });
    const action = (id: number, body: ControlAction) =>
      JSON.stringify({ version: 1, id, type: 'action', action: body });
    const responses = (await exchange(
      path,
      [
        action(1, { type: 'fence-ack', node: 'node2' }),
        action(2, { type: 'node', request: { kind: 'join' } }),
        action(3, { type: 'rm', request: { kind: 'lock' } }),
        statusRequest(4),
      ],
      4,
    )) as { id: number; code: string; message: string }[];
    expect(responses.map((r) => [r.id, r.code])).toEqual([
      [1, 'CONTROL_REQUEST_FAILED'],
      [2, 'CONTROL_REQUEST_FAILED'],
      [3, 'CONTROL_REQUEST_FAILED'],
      [4, 'CONTROL_REQUEST_FAILED'],
    ]);
    expect(responses[0]!.message).toBe('fence runner is gone');
    expect(responses[1]!.message).toBe('the agent answered a node action with a fence-ack result');
    expect(responses[2]!.message).toMatch(/^the agent's answer is invalid: \/result\/code: /);
    expect(responses[3]!.message).toMatch(
      /^the agent's answer is invalid: \/status\/quorum\/quorum: /,
    );
    expect(logged.filter((l) => l.event === 'control-request-failed')).toHaveLength(4);
  });

  test('replaces a dead socket file; refuses a live one and any other file', async () => {
    const dir = scratch();
    const path = join(dir, 'ricci.sock');
    // A socket file whose server is gone, as after SIGKILL.
    await leaveSocketOfKilledProcess(path);
    expect(statSync(path).isSocket()).toBe(true);
    const server = await serveControlSocket({ path, provider: plain });
    expect(await exchange(path, [statusRequest(1)], 1)).toHaveLength(1);
    await expect(serveControlSocket({ path, provider: plain })).rejects.toThrow(
      `another agent is already serving ${path}`,
    );
    await server.close();
    expect(existsSync(path)).toBe(false);

    const file = join(dir, 'not-a-socket');
    writeFileSync(file, 'keep me');
    await expect(serveControlSocket({ path: file, provider: plain })).rejects.toThrow(
      `${file} exists and is not a socket; not replacing it`,
    );
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});
