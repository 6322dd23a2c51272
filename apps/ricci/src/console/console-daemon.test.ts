import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONSOLE_API_PATH,
  type ConsoleMessage,
  type ConsoleRequest,
  decodeConsoleMessage,
} from '@quorate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type RunningDaemon, startDaemon } from '../daemon/daemon.js';
import { createClusterCa, createNodeCert, type PemPair } from '../tls/certificates.js';
import { tlsDirIn, writeCa, writeNodePair } from '../tls/tls-files.js';
import { setAgentPassword } from './agent-password.js';

// One real agent on loopback (127.0.0.1), alone in its cluster, with the console API mounted.
const HOST = '127.0.0.1';
const PASSWORD = 'daemon console password';
let root: string;
let daemon: RunningDaemon;
let consoleIdentity: PemPair;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ricci-console-daemon-'));
  const ca = await createClusterCa({ clusterName: 'solo' });
  const stateDir = join(root, 'node1');
  writeCa(tlsDirIn(stateDir), ca);
  writeNodePair(tlsDirIn(stateDir), 'node1', await createNodeCert({ nodeName: 'node1', ca }));
  await setAgentPassword(stateDir, PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
  consoleIdentity = await createNodeCert({
    nodeName: 'luci',
    ca: await createClusterCa({ clusterName: 'console' }),
  });
  daemon = await startDaemon(
    {
      nodeName: 'node1',
      listenHost: HOST,
      port: 0,
      peers: [],
      stateDir,
      configDir: join(root, 'node1-etc'),
      logLevel: 'warn',
      tickMs: 20,
      snapshotEntries: 1000,
      rejoin: false,
    },
    () => {},
  );
});

afterAll(async () => {
  await daemon.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Frames as they arrive, and a wait for the next one that matches. */
function framesOf(ws: WebSocket) {
  const frames: ConsoleMessage[] = [];
  let wake = () => {};
  ws.on('message', (data) => {
    const decoded = decodeConsoleMessage(String(data));
    if (decoded.ok) frames.push(decoded.frame);
    wake();
  });
  return async (match: (frame: ConsoleMessage) => boolean): Promise<ConsoleMessage> => {
    for (;;) {
      const index = frames.findIndex(match);
      if (index !== -1) return frames.splice(index, 1)[0]!;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
}

const conf = `<?xml version="1.0"?>
<cluster name="solo" config_version="1">
  <clusternodes>
    <clusternode name="node1" nodeid="1"/>
  </clusternodes>
</cluster>
`;

describe('the console API of a running agent', () => {
  it('serves its logs, pushes status changes, and carries a config change as a task', async () => {
    const ws = new WebSocket(`wss://${HOST}:${daemon.port}${CONSOLE_API_PATH}`, {
      cert: consoleIdentity.certPem,
      key: consoleIdentity.keyPem,
      rejectUnauthorized: false,
    });
    const next = framesOf(ws);
    await new Promise((resolve) => ws.once('open', resolve));
    const send = (frame: ConsoleRequest) => ws.send(JSON.stringify(frame));
    send({ type: 'hello', versions: [1], auth: { kind: 'password', password: PASSWORD } });
    expect(await next((f) => f.type === 'welcome')).toMatchObject({
      node: 'node1',
      nodes: [{ name: 'node1', address: HOST, port: daemon.port }],
      // No cluster.conf yet, so no resource manager and no replicated state: its own pin only.
      consoleTrust: 'node',
    });
    send({ version: 1, id: 1, type: 'logs' });
    const logs = await next((f) => f.type === 'logs');
    const events = logs.type === 'logs' ? logs.lines.map((line) => line.event) : [];
    expect(events).toContain('started');
    expect(events).toContain('console-authenticated');
    expect(JSON.stringify(logs)).not.toContain(PASSWORD);

    send({ version: 1, id: 2, type: 'subscribe' });
    const quorate = (f: ConsoleMessage) => f.type === 'status' && f.status.quorum.quorate;
    await next((f) => f.type === 'subscribed');
    if (!daemon.host.status().quorate) await next(quorate);

    send({ version: 1, id: 3, type: 'action', action: { type: 'config-update', text: conf } });
    const accepted = await next((f) => f.type === 'accepted');
    const taskId = accepted.type === 'accepted' ? accepted.taskId : '';
    expect(
      await next((f) => f.type === 'task' && f.taskId === taskId && f.state === 'done'),
    ).toMatchObject({
      result: { type: 'config-update', accepted: true, previousVersion: 0, version: 1 },
    });
    expect(
      await next(
        (f) => f.type === 'status' && f.id === null && f.status.cluster.configVersion === 1,
      ),
    ).toMatchObject({ status: { cluster: { name: 'solo' } } });
    ws.terminate();
  });
});
