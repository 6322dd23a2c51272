// Three agents (bin/ricci, the built code) on test hosts of the e2e harness: they elect a
// leader, elect another when the leader is SIGKILLed, take the killed one back when it
// restarts from its state directory (truncating the torn tail the kill left), and take back a
// host cut off and healed.
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eSkipReason, type HostProcess, TestNetwork } from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FILE } from '../storage/durable-log.js';
import { createClusterCa, createNodeCert } from '../tls/certificates.js';
import { tlsDirIn, writeCa, writeNodePair } from '../tls/tls-files.js';

const skip = e2eSkipReason();
const ricci = join(dirname(fileURLToPath(import.meta.url)), '../../../../bin/ricci');
const NAMES = ['node1', 'node2', 'node3'];
const WAIT_MS = 15_000;

interface LogEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

function events(agent: HostProcess): LogEvent[] {
  return agent
    .output('stdout')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEvent);
}

/** Resolves with the first event after the first `after` (seen or yet to come) that `match` accepts. */
function waitForEvent(
  agent: HostProcess,
  match: (event: LogEvent) => boolean,
  after = 0,
): Promise<LogEvent> {
  const seen = events(agent).slice(after).find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(
          `${agent.host}: no matching event within ${WAIT_MS} ms:\n${agent.output().slice(-3000)}`,
        ),
      );
    }, WAIT_MS);
    const stop = agent.onLine((line) => {
      if (!line.text.startsWith('{')) return;
      const event = JSON.parse(line.text) as LogEvent;
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

const leads =
  (leader: string | null = null, minTerm = 0) =>
  (event: LogEvent) =>
    event.event === 'leader-changed' &&
    typeof event.leader === 'string' &&
    (leader === null || event.leader === leader) &&
    Number(event.term) >= minTerm;

describe.skipIf(skip)('ricci on test hosts', () => {
  let network: TestNetwork;
  const agents = new Map<string, HostProcess>();

  const start = (name: string) => {
    const peers = NAMES.filter((peer) => peer !== name).flatMap((peer) => [
      '--peer',
      `${peer}=${network.host(peer).address}:11111`,
    ]);
    const agent = network.spawn(name, process.execPath, [ricci, '--node', name, ...peers]);
    agents.set(name, agent);
    return agent;
  };
  const agent = (name: string) => agents.get(name) as HostProcess;

  beforeAll(async () => {
    network = await TestNetwork.create({ clusterHosts: 3, client: false, console: false });
    const ca = await createClusterCa({ clusterName: 'hosts' });
    for (const name of NAMES) {
      const tls = tlsDirIn(network.host(name).paths.mounts['/var/lib/quorate']);
      writeCa(tls, ca);
      writeNodePair(tls, name, await createNodeCert({ nodeName: name, ca }));
    }
  }, 60_000);

  afterAll(async () => {
    await network?.destroy();
  }, 60_000);

  it('three agents elect one leader that all of them follow', async () => {
    for (const name of NAMES) start(name);
    const views = await Promise.all(NAMES.map((name) => waitForEvent(agent(name), leads())));
    expect(new Set(views.map((view) => `${view.leader}@${view.term}`)).size).toBe(1);
  });

  it('elects a new leader when the leader is SIGKILLed, and takes it back after a restart', async () => {
    const first = await waitForEvent(agent('node1'), leads());
    const leader = String(first.leader);
    const survivors = NAMES.filter((name) => name !== leader);
    agent(leader).kill('SIGKILL');
    await agent(leader).waitForExit(WAIT_MS);
    const next = await Promise.all(
      survivors.map((name) =>
        waitForEvent(
          agent(name),
          (e) => leads(null, Number(first.term) + 1)(e) && e.leader !== leader,
        ),
      ),
    );
    expect(next[0]?.leader).toBe(next[1]?.leader);
    // As if the kill had torn a write: half a record at the end of its log.
    appendFileSync(
      join(network.host(leader).paths.mounts['/var/lib/quorate'], LOG_FILE),
      Buffer.from([0, 0, 1, 0, 7]),
    );
    const restarted = start(leader);
    const truncated = await waitForEvent(restarted, (e) => e.event === 'log-tail-truncated');
    expect(truncated.bytes).toBe(5);
    const started = await waitForEvent(restarted, (e) => e.event === 'started');
    expect(started.incarnation).toBe(2);
    expect(Number(started.restoredTerm)).toBeGreaterThanOrEqual(Number(first.term));
    await waitForEvent(restarted, leads(String(next[0]?.leader)));
  });

  it('takes back a host that was cut off and healed', async () => {
    const current = events(agent('node1')).filter(leads()).at(-1);
    const follower = NAMES.find((name) => name !== current?.leader);
    if (!follower) throw new Error('no follower');
    const before = events(agent(follower)).length;
    await network.cutHost(follower);
    // Cut off, it loses quorum when its leader's lease runs out; healed, it is quorate again.
    await waitForEvent(
      agent(follower),
      (e) => e.event === 'quorum-changed' && e.quorate === false,
      before,
    );
    const cut = events(agent(follower)).length;
    await network.healAll();
    await waitForEvent(
      agent(follower),
      (e) => e.event === 'quorum-changed' && e.quorate === true,
      cut,
    );
    // Quorate again means following a leader the others follow too.
    const status = (name: string) => events(agent(name)).filter(leads()).at(-1)?.leader;
    const others = NAMES.filter((name) => name !== follower).map(status);
    expect(others).toContain(status(follower));
  });
});
