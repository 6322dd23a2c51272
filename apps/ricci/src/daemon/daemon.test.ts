import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
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
    configDir: join(root, `${name}-etc`),
    logLevel: 'debug',
    tickMs: 20,
    snapshotEntries: 1000,
    rejoin: false,
  };
}

/** A runnable cluster.conf of the three nodes at `version`. */
function threeNodeConf(version: number): string {
  const nodes = NAMES.map(
    (name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>\n`,
  ).join('');
  return `<?xml version="1.0"?>\n<cluster name="test" config_version="${version}">\n  <clusternodes>\n${nodes}  </clusternodes>\n</cluster>\n`;
}

async function start(index: number, overrides: Partial<DaemonOptions> = {}) {
  const recorded = recorder();
  const daemon = await startDaemon({ ...optionsFor(index), ...overrides }, recorded.log);
  running.push(daemon);
  return { daemon, ...recorded };
}

/** One request on an agent's control socket, answered by one JSON line. */
function control(path: string, request: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end < 0) return;
      socket.destroy();
      resolve(JSON.parse(text.slice(0, end)) as Record<string, unknown>);
    });
    socket.on('error', reject);
    socket.write(`${JSON.stringify({ version: 1, id: 1, ...request })}\n`);
  });
}

async function leaderOf(agent: Awaited<ReturnType<typeof start>>): Promise<string> {
  const line = await agent.until(
    (l) => l.event === 'leader-changed' && typeof l.fields.leader === 'string',
  );
  return `${line.fields.leader}@${line.fields.term}`;
}

describe('ricci daemon', () => {
  it('three agents elect one leader, which every agent follows', async () => {
    const agents = await Promise.all([0, 1, 2].map((i) => start(i)));
    const leaders = await Promise.all(agents.map(leaderOf));
    expect(new Set(leaders).size).toBe(1);
    const status = agents.map((agent) => agent.daemon.host.status());
    expect(status.filter((s) => s.role === 'leader')).toHaveLength(1);
  });

  it('writes each committed cluster.conf on every node, keeping the previous one as a backup', async () => {
    for (const name of NAMES) {
      mkdirSync(join(root, `${name}-etc`), { recursive: true });
      writeFileSync(join(root, `${name}-etc`, 'cluster.conf'), threeNodeConf(1));
    }
    const agents = await Promise.all([0, 1, 2].map((i) => start(i)));
    const leader = (await leaderOf(agents[0]!)).split('@')[0];
    const index = NAMES.indexOf(leader as string);
    // Formation: the first leader commits the file the nodes offer; it is already in place.
    for (const agent of agents) {
      const formed = await agent.until((l) => l.event === 'config-applied');
      expect(formed.fields).toMatchObject({ version: 1, written: false });
    }
    const leaderDir = join(root, `${leader}-etc`);
    // A follower cannot propose: the refusal names the leader.
    const follower = agents[(index + 1) % 3]!;
    writeFileSync(join(root, `${NAMES[(index + 1) % 3]}-etc`, 'cluster.conf'), threeNodeConf(2));
    follower.daemon.reloadConfig();
    const refused = await follower.until((l) => l.event === 'config-reload-refused');
    expect(refused.fields).toMatchObject({ rule: 'not-leader', version: 2 });
    // The administrator edits the leader's file and sends SIGHUP (cman_tool version -r).
    writeFileSync(join(leaderDir, 'cluster.conf'), threeNodeConf(2));
    agents[index]!.daemon.reloadConfig();
    const applied = await Promise.all(
      agents.map((agent) =>
        agent.until((l) => l.event === 'config-applied' && l.fields.version === 2),
      ),
    );
    for (const agent of agents) expect(agent.daemon.host.status().configVersion).toBe(2);
    for (const name of NAMES) {
      const file = join(root, `${name}-etc`, 'cluster.conf');
      expect(readFileSync(file, 'utf8')).toBe(threeNodeConf(2));
    }
    // Files that already held version 2 are left alone; the other keeps version 1 as a backup.
    const other = (index + 2) % 3;
    const otherDir = join(root, `${NAMES[other]}-etc`);
    expect(applied.map((line) => line.fields.backup)).toEqual(
      [0, 1, 2].map((i) => (i === other ? join(otherDir, 'cluster.conf.bak.1') : null)),
    );
    expect(readFileSync(join(otherDir, 'cluster.conf.bak.1'), 'utf8')).toBe(threeNodeConf(1));
    expect(existsSync(join(leaderDir, 'cluster.conf.bak.1'))).toBe(false);
  });

  it('leaves cleanly when stopped (SIGTERM): the others report it as left, not lost', async () => {
    const agents = await Promise.all([0, 1, 2].map((i) => start(i)));
    const leader = (await leaderOf(agents[0]!)).split('@')[0] as string;
    const leaving = NAMES.findIndex((name) => name !== leader);
    const stayed = agents.filter((_, i) => i !== leaving);
    await agents[leaving]!.daemon.stop();
    running.splice(running.indexOf(agents[leaving]!.daemon), 1);
    const name = NAMES[leaving] as string;
    for (const agent of stayed) {
      const change = await agent.until(
        (l) =>
          l.event === 'membership-changed' &&
          (l.fields.left as string[] | undefined)?.includes(name) === true,
      );
      expect(change.fields.lost).toContain(name);
    }
    // The leader was not disturbed.
    expect(stayed.some((agent) => agent.daemon.host.status().role === 'leader')).toBe(true);
  });

  it('answers the control socket from the node: status, fence ack, config update, cman_tool', async () => {
    for (const name of NAMES) {
      mkdirSync(join(root, `${name}-etc`), { recursive: true });
      writeFileSync(join(root, `${name}-etc`, 'cluster.conf'), threeNodeConf(1));
    }
    const sockets = NAMES.map((name) => join(root, `${name}.sock`));
    const agents = await Promise.all(
      [0, 1, 2].map((i) => start(i, { controlSocket: sockets[i] as string })),
    );
    // Earlier tests left their logs in the state directories: versions count from there.
    const leaders = await Promise.all(agents.map(leaderOf));
    expect(new Set(leaders).size).toBe(1);
    const leader = NAMES.indexOf(leaders[0]?.split('@')[0] as string);
    // A follower is quorate only once it has heard the leader it follows, a heartbeat after it
    // learnt its name; read node1's status once node1 itself says so and holds the config.
    await agents[0]!.until(
      (l) =>
        l.event === 'membership-changed' && (l.fields.members as string[]).length === NAMES.length,
    );
    await agents[0]!.until((l) => l.event === 'quorum-changed' && l.fields.quorate === true);
    await agents[0]!.until((l) => l.event === 'config-applied');
    const status = await control(sockets[0]!, { type: 'status' });
    const seen = status.status as {
      cluster: { configVersion: number };
      quorum: { quorate: boolean; quorum: number; expectedVotes: number };
      members: { name: string; online: boolean; local: boolean }[];
      resourceManager: { running: boolean };
    };
    expect(seen.quorum).toMatchObject({ quorate: true, quorum: 2, expectedVotes: 3 });
    expect(seen.members.map((m) => [m.name, m.online, m.local])).toEqual([
      ['node1', true, true],
      ['node2', true, false],
      ['node3', true, false],
    ]);
    expect(seen.resourceManager.running).toBe(true);
    const action = (i: number, body: object) =>
      control(sockets[i]!, { type: 'action', action: body });
    // A live member cannot be acknowledged as fenced.
    const ack = await action(0, { type: 'fence-ack', node: 'node2' });
    expect(ack.result).toMatchObject({ type: 'fence-ack', ok: false });
    // ccs_tool update at the leader commits on every node.
    const before = seen.cluster.configVersion;
    expect(before).toBeGreaterThanOrEqual(1);
    const next = before + 1;
    const update = await action(leader, { type: 'config-update', text: threeNodeConf(next) });
    expect(update.result).toEqual({
      type: 'config-update',
      accepted: true,
      previousVersion: before,
      version: next,
    });
    await Promise.all(
      agents.map((agent) =>
        agent.until((l) => l.event === 'config-applied' && l.fields.version === next),
      ),
    );
    const config = await control(sockets[1]!, { type: 'config' });
    expect(config.config).toEqual({ version: next, text: threeNodeConf(next) });
    const expected = await action(leader, {
      type: 'node',
      request: { kind: 'expected', votes: 3 },
    });
    expect(expected.result).toMatchObject({ type: 'node', ok: true });
    const unknown = await action(0, { type: 'node', request: { kind: 'kill', node: 'nodeX' } });
    expect(unknown.result).toEqual({
      type: 'node',
      ok: false,
      message: 'no such node in the cluster configuration',
    });
    // cman_tool kill -n node3 on node1: node3 falls silent without a goodbye, so the others
    // lose it rather than see it leave.
    const kill = await action(0, { type: 'node', request: { kind: 'kill', node: 'node3' } });
    expect(kill.result).toEqual({ type: 'node', ok: true, message: 'kill sent to node3' });
    const killed = await agents[2]!.until((l) => l.event === 'killed');
    expect(killed.fields.from).toBe('node1');
    for (const agent of agents.slice(0, 2)) {
      const change = await agent.until(
        (l) =>
          l.event === 'membership-changed' &&
          (l.fields.lost as string[] | undefined)?.includes('node3') === true,
      );
      expect(change.fields.left).not.toContain('node3');
    }
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

describe('ricci daemon, configuration changes', () => {
  /** Fresh state and config directories for each node (the TLS files copied from the suite's). */
  function freshOptions(test: string): (index: number) => Partial<DaemonOptions> {
    return (index) => {
      const name = NAMES[index] as string;
      const stateDir = join(root, test, name);
      cpSync(tlsDirIn(join(root, name)), tlsDirIn(stateDir), { recursive: true });
      const configDir = join(root, test, `${name}-etc`);
      mkdirSync(configDir, { recursive: true });
      return { stateDir, configDir };
    };
  }

  it('a node started without a cluster.conf starts its resource manager when the file commits', async () => {
    const dirs = freshOptions('late-config');
    const options = [0, 1, 2].map(dirs);
    writeFileSync(join(options[0]?.configDir as string, 'cluster.conf'), threeNodeConf(1));
    const agents = await Promise.all([0, 1, 2].map((i) => start(i, options[i])));
    expect(agents.map((agent) => agent.daemon.host.serviceController() !== null)).toEqual([
      true,
      false,
      false,
    ]);
    for (const agent of agents.slice(1)) {
      const started = await agent.until((l) => l.event === 'resource-manager-started');
      expect(started.fields).toMatchObject({ configVersion: 1 });
      expect(agent.daemon.host.serviceController()).not.toBeNull();
    }
    // Still one cluster: each switched node (a new incarnation) is quorate again afterwards.
    for (const agent of agents.slice(1)) {
      const switched = agent.lines.findIndex((l) => l.event === 'resource-manager-started');
      await agent.until(
        (l) =>
          l.event === 'quorum-changed' &&
          l.fields.quorate === true &&
          agent.lines.indexOf(l) > switched,
      );
    }
    for (const agent of agents) expect(agent.daemon.host.status().configVersion).toBe(1);
  });

  it('drops the links of a node removed from the committed cluster.conf, and refuses it', async () => {
    const dirs = freshOptions('removal');
    const options = [0, 1, 2].map(dirs);
    for (const option of options) {
      writeFileSync(join(option.configDir as string, 'cluster.conf'), threeNodeConf(1));
    }
    const agents = await Promise.all([0, 1, 2].map((i) => start(i, options[i])));
    const leaders = await Promise.all(agents.map(leaderOf));
    const leader = NAMES.indexOf(leaders[0]?.split('@')[0] as string);
    // Formation commits version 1 first (a change proposed before that is refused).
    await Promise.all(agents.map((agent) => agent.until((l) => l.event === 'config-applied')));
    // Remove a follower: the leader's file without it, proposed as `cman_tool version -r` does.
    const removed = [0, 1, 2].find((i) => i !== leader) as number;
    const kept = NAMES.filter((_, i) => i !== removed);
    const leaderDir = options[leader]?.configDir as string;
    writeFileSync(join(leaderDir, 'cluster.conf'), nodesConf(2, kept));
    // The leader refuses removing a node until that node's probe is in the log ("it has not yet
    // reported what runs there"): wait for the leader to take it.
    const name = NAMES[removed] as string;
    await agents[leader]?.until((l) => l.event === 'probe-accepted' && l.fields.node === name);
    agents[leader]?.daemon.reloadConfig();
    for (const i of [0, 1, 2].filter((j) => j !== removed)) {
      const agent = agents[i]!;
      await agent.until((l) => l.event === 'peer-dropped' && l.fields.peer === name);
      await agent.until((l) => l.event === 'peer-undialled' && l.fields.peer === name);
      // Its redials are refused at the TLS handshake.
      await agent.until((l) => l.event === 'peer-refused' && l.fields.peer === name);
      expect(agent.daemon.host.status().voters).toEqual(kept);
    }
  });
});

/** A cluster.conf of `names` at `version`. */
function nodesConf(version: number, names: readonly string[]): string {
  const nodes = names
    .map((name) => `    <clusternode name="${name}" nodeid="${NAMES.indexOf(name) + 1}"/>\n`)
    .join('');
  return `<?xml version="1.0"?>\n<cluster name="test" config_version="${version}">\n  <clusternodes>\n${nodes}  </clusternodes>\n</cluster>\n`;
}
