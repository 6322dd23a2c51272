import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FILE } from '../storage/durable-log.js';
import { CorruptStateError, StateDirLockedError } from '../storage/storage-errors.js';
import { createClusterCa, createNodeCert } from '../tls/certificates.js';
import { tlsDirIn, writeCa, writeNodePair } from '../tls/tls-files.js';
import { type RunningDaemon, startDaemon } from './daemon.js';
import type { DaemonOptions } from './daemon-options.js';
import type { JsonLog } from './json-log.js';

// Three agents on loopback (127.0.0.1) in this process; bin/ricci on test hosts is e2e's part.
const NAMES = ['node1', 'node2', 'node3'];
let root: string;
let ports: number[];
const running: RunningDaemon[] = [];

interface Logged {
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

type Match = (line: Logged) => boolean;

/** Records log lines and resolves waits when a matching one arrives: no sleeps, no polling. */
function recorder() {
  const lines: Logged[] = [];
  const waiters: { match: Match; resolve: (line: Logged) => void }[] = [];
  const log: JsonLog = (_level, event, fields = {}) => {
    const line = { event, fields };
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) waiter.resolve(line);
  };
  const until = (match: Match): Promise<Logged> => {
    const seen = lines.find(match);
    return seen
      ? Promise.resolve(seen)
      : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  return { log, lines, until };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'quorate-daemon-'));
  const ca = await createClusterCa({ clusterName: 'test' });
  for (const name of NAMES) {
    const tls = tlsDirIn(join(root, name));
    writeCa(tls, { certPem: ca.certPem, keyPem: ca.keyPem });
    writeNodePair(tls, name, await createNodeCert({ nodeName: name, ca }));
  }
  // Fixed distinct loopback ports, so a restarted agent is found where its peers dial.
  const base = 20000 + (process.pid % 20000);
  ports = NAMES.map((_, i) => base + i);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((daemon) => daemon.stop()));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function optionsFor(index: number): DaemonOptions {
  const name = NAMES[index] as string;
  return {
    nodeName: name,
    listenHost: '127.0.0.1',
    port: ports[index] as number,
    peers: NAMES.flatMap((peer, i) =>
      i === index ? [] : [{ name: peer, addresses: [`127.0.0.1:${ports[i]}`] }],
    ),
    stateDir: join(root, name),
    configDir: join(root, 'no-cluster-conf'),
    logLevel: 'debug',
    tickMs: 20,
  };
}

async function start(index: number) {
  const recorded = recorder();
  const daemon = await startDaemon(optionsFor(index), recorded.log);
  running.push(daemon);
  return { daemon, ...recorded };
}

async function leaderOf(agent: Awaited<ReturnType<typeof start>>): Promise<string> {
  const line = await agent.until(
    (l) => l.event === 'leader-changed' && typeof l.fields.leader === 'string',
  );
  return `${line.fields.leader}@${line.fields.term}`;
}

describe('ricci daemon', () => {
  it('three agents elect one leader, which every agent follows', async () => {
    const agents = await Promise.all([0, 1, 2].map(start));
    const leaders = await Promise.all(agents.map(leaderOf));
    expect(new Set(leaders).size).toBe(1);
    const status = agents.map((agent) => agent.daemon.host.status());
    expect(status.filter((s) => s.role === 'leader')).toHaveLength(1);
  });

  it('refuses a second agent on the same state directory', async () => {
    await start(0);
    await expect(startDaemon(optionsFor(0), recorder().log)).rejects.toThrowError(
      StateDirLockedError,
    );
  });

  it('restarts from its log: a higher incarnation, its term kept, a torn tail truncated', async () => {
    const first = await start(1);
    const { incarnation: firstIncarnation, term: firstTerm } = first.daemon.host.status();
    await first.daemon.stop();
    running.splice(running.indexOf(first.daemon), 1);
    appendFileSync(join(root, 'node2', LOG_FILE), Buffer.from([0, 0, 0, 40, 1, 2]));
    const second = await start(1);
    expect(second.daemon.host.status().incarnation).toBe(firstIncarnation + 1);
    expect(second.daemon.host.status().term).toBe(firstTerm);
    expect(second.lines.find((line) => line.event === 'log-tail-truncated')?.fields.bytes).toBe(6);
  });

  it('stops with a clear message on a corrupt committed record', async () => {
    const agent = await start(2);
    await agent.daemon.stop();
    running.splice(running.indexOf(agent.daemon), 1);
    const path = join(root, 'node3', LOG_FILE);
    const data = readFileSync(path);
    data[10] = (data[10] ?? 0) ^ 0xff;
    writeFileSync(path, Buffer.concat([data, data]));
    await expect(startDaemon(optionsFor(2), recorder().log)).rejects.toThrowError(
      CorruptStateError,
    );
    // The failed start released the state directory.
    rmSync(path);
    await start(2);
  });
});
