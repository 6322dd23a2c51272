// cman_tool votes -v, leave remove and join on three test hosts. Votes live in the committed
// cluster.conf, so `votes -v` and `leave remove` are config changes, taken on any node (a
// follower forwards them to the leader); `join` on a host with no agent starts one (no systemd
// in a test host: ricci detached, with $RICCI_OPTS), which becomes a member again and asks for
// the votes it gave up back.
import { existsSync, readFileSync, statSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  e2eSkipReason,
  type ProcessIdentity,
  readStartTime,
  signalIdentity,
  waitUntilGone,
} from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../testing/agent-events.js';
import {
  AGENT_PORT,
  binDir,
  CONTROL_SOCKET,
  fencedNode,
  ScenarioCluster,
} from '../../testing/scenario-cluster.js';

const skip = e2eSkipReason();
const NODES = ['node1', 'node2', 'node3'];
const WAIT_MS = 30_000;
const TEST_MS = 90_000;

const clusterConf = `<?xml version="1.0"?>
<cluster name="votes" config_version="1">
  <cman/>
  <clusternodes>
${NODES.map((node, i) => fencedNode(node, i + 1, 'meatware')).join('')}  </clusternodes>
  <fencedevices>
    <fencedevice name="meatware" agent="fence_manual"/>
  </fencedevices>
  <rm>
    <failoverdomains/>
    <resources/>
  </rm>
</cluster>
`;

const applied = (version: number) => (event: LogEvent) =>
  event.event === 'config-applied' && event.version === version;

/** One `Key: value` line of `cman_tool status`. */
function statusLine(status: string, key: string): string | undefined {
  return new RegExp(`^${key}: (.*?)\\s*$`, 'm').exec(status)?.[1];
}

/** The JSON events in a log file an agent started by `cman_tool join` writes. */
function fileEvents(path: string): LogEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEvent);
}

/** Resolves with the first event in the file that `match` accepts, woken by its changes. */
function waitForFileEvent(path: string, match: (e: LogEvent) => boolean): Promise<LogEvent> {
  return new Promise((resolve, reject) => {
    // The agent `cman_tool join` started writes its log to a file, not to the harness.
    const watcher = watch(dirname(path), () => check());
    const timer = setTimeout(() => {
      const tail = existsSync(path) ? readFileSync(path, 'utf8').slice(-4000) : '(no file)';
      finish();
      reject(new Error(`${path}: no matching event within ${WAIT_MS} ms:\n${tail}`));
    }, WAIT_MS);
    const finish = () => {
      watcher.close();
      clearTimeout(timer);
    };
    const check = () => {
      const found = fileEvents(path).find(match);
      if (!found) return;
      finish();
      resolve(found);
    };
    check();
  });
}

describe.skipIf(skip)('cman_tool votes, leave remove and join on test hosts', () => {
  let cluster: ScenarioCluster;
  /** The agent `cman_tool join` started (not a child of this process), stopped at the end. */
  let joined: ProcessIdentity | null = null;
  const stateDir = (node: string) => cluster.host(node).paths.mounts['/var/lib/quorate'];
  const status = async (node: string) =>
    (await cluster.command(node, 'cman_tool', ['status'])).stdout;
  /**
   * A config change, retried as an administrator would while the cluster elects a leader (the
   * bare nodes' resource managers start right after formation, which can cost one election).
   */
  const configCommand = async (node: string, args: string[]) => {
    for (let attempt = 1; ; attempt++) {
      const mark = cluster.mark(node);
      const outcome = await cluster.command(node, 'cman_tool', args);
      if (attempt === 3 || !/no quorate leader|try again/.test(outcome.stderr)) return outcome;
      // The election that cost it: over once this node names a leader again.
      await cluster.waitFor(node, (e) => e.event === 'leader-changed' && !!e.leader, mark);
      await cluster.quorate(node);
    }
  };

  beforeAll(async () => {
    cluster = await ScenarioCluster.create({
      clusterName: 'votes',
      nodeNames: NODES,
      waitMs: WAIT_MS,
    });
  }, 60_000);

  afterAll(async () => {
    if (joined !== null && signalIdentity(joined, 'SIGTERM'))
      await waitUntilGone([joined], WAIT_MS);
    await cluster?.destroy();
  }, 60_000);

  it(
    'three agents form the cluster from node1 file',
    async () => {
      cluster.writeClusterConf('node1', clusterConf);
      cluster.start('node1');
      await cluster.waitFor('node1', (e) => e.event === 'started');
      cluster.start('node2');
      cluster.start('node3');
      for (const node of ['node2', 'node3']) {
        await cluster.waitFor(node, applied(1));
        await cluster.waitFor(node, (e) => e.event === 'resource-manager-started');
      }
      for (const node of NODES) await cluster.quorate(node);
    },
    TEST_MS,
  );

  it(
    'votes -v 2 on node1, leader or not: commits, prints nothing; node2 shows Total votes 4, Quorum 3',
    async () => {
      const mark = cluster.mark('node2');
      const set = await configCommand('node1', ['votes', '-v', '2']);
      expect(set).toEqual({ status: 0, stdout: '', stderr: '' });
      await cluster.waitFor('node2', applied(2), mark);
      const other = await status('node2');
      expect(statusLine(other, 'Config Version')).toBe('2');
      expect(statusLine(other, 'Total votes')).toBe('4');
      expect(statusLine(other, 'Expected votes')).toBe('4');
      expect(statusLine(other, 'Quorum')).toBe('3');
      expect(statusLine(await status('node1'), 'Node votes')).toBe('2');
    },
    TEST_MS,
  );

  it(
    'leave remove on node3 commits its votes as 0 and leaves; node1 and node2 stay quorate with Expected votes lowered',
    async () => {
      const marks = ['node1', 'node2'].map((node) => cluster.mark(node));
      const left = await configCommand('node3', ['leave', 'remove']);
      expect(left).toEqual({ status: 0, stdout: '', stderr: '' });
      await cluster.agent('node3').waitForExit(WAIT_MS);
      await cluster.waitFor('node1', applied(3), marks[0]);
      await cluster.waitFor('node2', applied(3), marks[1]);

      const after = await status('node1');
      expect(statusLine(after, 'Expected votes')).toBe('3');
      expect(statusLine(after, 'Total votes')).toBe('3');
      expect(statusLine(after, 'Quorum')).toBe('2');
      expect((await cluster.command('node2', 'clustat', ['-Q'])).status).toBe(0);
      const committed = readFileSync(join(cluster.configDir('node1'), 'cluster.conf'), 'utf8');
      expect(committed).toMatch(/name="node3"[^>]*votes="0"/);

      const record = join(stateDir('node3'), 'removed-votes.json');
      expect(statSync(record).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({
        node: 'node3',
        votes: 1,
        expectedLoweredBy: 0,
      });
    },
    TEST_MS,
  );

  it(
    'join on a member is "Node is already active"; on node3, with no agent, it starts one that becomes a member and gets its vote back',
    async () => {
      expect(await cluster.command('node1', 'cman_tool', ['join'])).toEqual({
        status: 1,
        stdout: '',
        stderr: 'cman_tool: Node is already active\n',
      });

      const peers = ['node1', 'node2'].flatMap((peer) => [
        '--peer',
        `${peer}=${cluster.host(peer).address}:${AGENT_PORT}`,
      ]);
      const ricciOpts = ['--node', 'node3', ...peers, '--control-socket', CONTROL_SOCKET];
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        QUORATE_SOCKET: CONTROL_SOCKET,
        RICCI_OPTS: ricciOpts.join(' '),
      };
      delete env.QUORATE_CONFIG_DIR;
      delete env.QUORATE_STATE_DIR;
      const mark = cluster.mark('node1');
      const result = await cluster.network.exec(
        cluster.hostName('node3'),
        process.execPath,
        [join(binDir, 'cman_tool'), 'join', '-w', '-t', '30'],
        { env, timeoutMs: WAIT_MS + 5_000 },
      );
      const logPath = join(stateDir('node3'), 'ricci.log');
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /^cman_tool: started ricci \(pid \d+\) with the options of \$RICCI_OPTS; its output goes to \/var\/lib\/quorate\/ricci\.log\n$/,
      );
      const pid = Number(/pid (\d+)/.exec(result.stderr)?.[1]);
      const startTime = readStartTime(pid);
      expect(startTime).toBeDefined();
      joined = { pid, startTime: startTime ?? 0 };
      const started = await waitForFileEvent(logPath, (e) => e.event === 'started');
      expect(started.controlSocket).toBe(CONTROL_SOCKET);

      // Back as a member without votes, it asks for them through the leader, as cman counted a
      // returning node's votes again.
      const restored = await waitForFileEvent(logPath, (e) => e.event === 'votes-restored');
      expect(restored).toMatchObject({ node: 'node3', votes: 1 });
      await cluster.waitFor('node1', applied(4), mark);
      expect(existsSync(join(stateDir('node3'), 'removed-votes.json'))).toBe(false);
      const own = await status('node3');
      expect(statusLine(own, 'Membership state')).toBe('Cluster-Member');
      expect(statusLine(own, 'Node votes')).toBe('1');
      const leaderView = await status('node1');
      expect(statusLine(leaderView, 'Total votes')).toBe('4');
      expect(statusLine(leaderView, 'Quorum')).toBe('3');
    },
    TEST_MS,
  );
});
