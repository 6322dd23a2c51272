// The failover benchmark's cluster: three agents (bin/ricci) on test hosts running `webservice`
// (a floating IP and a web server that names its host), every node power-fenced through
// fence_testhost, and a client host that probes the floating IP every 10 ms. Every agent log line
// and every change of the probe's answer is stamped with the machine's monotonic clock, so the
// benchmark can time what follows a trigger without polling.
import { EventEmitter } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAgentCertificates } from './agent-certificates.js';
import {
  BUNDLE_PREFIX,
  installBundle,
  SYSTEM_PATH,
  spawnBundled,
  unpackBundle,
} from './bundle-launch.js';
import { type FenceControl, fenceTestHostAgent, serveFenceControl } from './fence-control.js';
import type { HostProcess } from './host-process.js';
import { runPaths } from './layout.js';
import { TestNetwork } from './test-network.js';
import { writeWebService } from './web-service.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (command: string) => join(root, 'bin', command);
const httpProbeScript = fileURLToPath(new URL('../fixtures/http-probe.mjs', import.meta.url));

export const NODE_NAMES: readonly string[] = ['node1', 'node2', 'node3'];
const AGENT_PORT = 11111;
const WEB_PORT = 8080;
/** Each host's agent serves its own socket: the test hosts share the machine's /run. */
const CONTROL_SOCKET = '/var/lib/quorate/ricci.sock';
/** peers/measure.py's probe: a try every 10 ms, 50 ms to connect or read. */
export const PROBE_INTERVAL_MS = 10;
export const PROBE_TIMEOUT_MS = 50;
export const SERVICE = 'service:webservice';

export interface AgentEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

export interface Stamped<T> {
  /** process.hrtime.bigint() when it was seen: CLOCK_MONOTONIC, shared with the probe. */
  readonly atNs: bigint;
  readonly value: T;
}

export const now = (): bigint => process.hrtime.bigint();
export const msSince = (startNs: bigint, atNs: bigint): number =>
  Math.round(Number(atNs - startNs) / 1e5) / 10;

export const startedOn =
  (owner?: (node: string) => boolean) =>
  (event: AgentEvent): boolean =>
    event.event === 'service-state-changed' &&
    event.service === SERVICE &&
    event.state === 'started' &&
    (owner === undefined || owner(String(event.owner)));

/**
 * Where the page comes from. `service`: the service's `script` resource starts the web server
 * on the floating IP (web-service.ts), so a move includes the server's start. `node`: as in
 * ../shared/peers (idsrv.py on every node, a `Dummy` in the group), each host runs the server
 * on all its addresses all the time and the service's script only keeps a state file, so a move
 * is the IP's and the cluster's work alone.
 */
export type PageServer = 'service' | 'node';

/** The dummy's state file, in the host's own state folder. */
const DUMMY_STATE = 'dummy.state';

/** An LSB script like Pacemaker's `Dummy`: a state file in the host's own state folder. */
function writeDummyService(dir: string): string {
  const script = join(dir, 'dummy-service');
  writeFileSync(
    script,
    `#!/bin/sh
state=/var/lib/quorate/${DUMMY_STATE}
case $1 in
start) : > "$state"; exit 0 ;;
stop) rm -f "$state"; exit 0 ;;
status) [ -f "$state" ] && exit 0; exit 3 ;;
*) exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return script;
}

function clusterConf(tokenMs: number, floating: string, script: string, fence: string): string {
  const nodes = NODE_NAMES.map(
    (name, i) => `    <clusternode name="${name}" nodeid="${i + 1}">
      <fence><method name="power"><device name="testhost" port="${name}"/></method></fence>
    </clusternode>\n`,
  );
  return `<?xml version="1.0"?>
<cluster name="bench" config_version="1">
  <totem token="${tokenMs}"/>
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <fencedevices>
    <fencedevice name="testhost" agent="${fenceTestHostAgent}" socket="${fence}"/>
  </fencedevices>
  <rm>
    <service name="webservice" autostart="1" recovery="relocate">
      <ip address="${floating}" monitor_link="1"/>
      <script name="web" file="${script}"/>
    </service>
  </rm>
</cluster>
`;
}

export class FailoverCluster {
  private readonly agents = new Map<string, HostProcess>();
  /** Every host's log events, across restarts of its agent. */
  private readonly logs = new Map<string, Stamped<AgentEvent>[]>();
  /** Each change of the client's answer: the node that served the page, or '-'. */
  readonly answers: Stamped<string>[] = [];
  private readonly seen = new EventEmitter();
  /** Agents and commands come from the bundle installed on each host, not from bin/. */
  private bundled = false;
  /** The web server's init script when every node serves pages (`pageServer: 'node'`). */
  private nodePageServer: string | undefined;

  private constructor(
    readonly network: TestNetwork,
    readonly tokenMs: number,
    readonly floating: string,
    private readonly fence: FenceControl,
  ) {
    this.seen.setMaxListeners(0);
  }

  /** A fresh network with the cluster formed, `webservice` started and the client served. */
  static async start(
    tokenMs: number,
    waitMs: number,
    options: {
      readonly console?: boolean;
      readonly pageServer?: PageServer;
      /** An agent archive: unpacked once and installed on every host, so every agent started
       * during the run is the same build, whatever is rebuilt in the work tree meanwhile. */
      readonly bundle?: string;
    } = {},
  ): Promise<FailoverCluster> {
    const network = await TestNetwork.create({
      clusterHosts: 3,
      client: true,
      console: options.console ?? false,
    });
    try {
      const fence = await serveFenceControl(network);
      const floating = `${network.subnet}.100`;
      const cluster = new FailoverCluster(network, tokenMs, floating, fence);
      const runDir = runPaths(network.runId).root;
      const perNode = options.pageServer === 'node';
      const web = writeWebService(
        runDir,
        perNode ? `0.0.0.0 ${WEB_PORT}` : `${floating} ${WEB_PORT}`,
      );
      const script = perNode ? writeDummyService(runDir) : web;
      const conf = clusterConf(tokenMs, floating, script, fence.socketPath);
      writeAgentCertificates(network, 'bench', NODE_NAMES);
      if (options.bundle !== undefined) {
        const unpacked = await unpackBundle(options.bundle, join(runDir, 'bundle'));
        for (const name of NODE_NAMES) await installBundle(network, name, unpacked);
        cluster.bundled = true;
      }
      for (const name of NODE_NAMES) {
        const configDir = network.host(name).paths.mounts['/etc/cluster'];
        writeFileSync(join(configDir, 'cluster.conf'), conf);
      }
      if (perNode) {
        cluster.nodePageServer = web;
        for (const name of NODE_NAMES) await cluster.startNodePageServer(name);
      }
      for (const name of NODE_NAMES) cluster.startAgent(name);
      cluster.startProbe();
      const first = await cluster.waitForEvent(NODE_NAMES, startedOn(), 0n, waitMs);
      await cluster.waitForAnswer((node) => node === first.value.owner, 0n, waitMs);
      return cluster;
    } catch (error) {
      await network.destroy();
      throw error;
    }
  }

  /**
   * With pages served by every node: starts a host's server with its own init script, outside
   * the cluster (again after a power cycle). Otherwise the service starts it: nothing to do.
   * After a power cycle the dummy's state file is gone too: Pacemaker's `Dummy` keeps it on
   * /run, a tmpfs that a reboot empties, but the test hosts share the machine's /run.
   */
  async startNodePageServer(name: string): Promise<void> {
    if (this.nodePageServer === undefined) return;
    rmSync(join(this.network.host(name).paths.mounts['/var/lib/quorate'], DUMMY_STATE), {
      force: true,
    });
    const started = await this.network.exec(name, this.nodePageServer, ['start']);
    if (started.code !== 0) throw new Error(`${name}: web server: exit ${started.code}`);
  }

  agent(name: string): HostProcess {
    const agent = this.agents.get(name);
    if (agent === undefined) throw new Error(`${name}: no agent started`);
    return agent;
  }

  /** Starts `bin/ricci` on a host (again, after a power cycle: its state directory is kept). */
  startAgent(name: string): HostProcess {
    const peers = NODE_NAMES.filter((peer) => peer !== name).flatMap((peer) => [
      '--peer',
      `${peer}=${this.network.host(peer).address}:${AGENT_PORT}`,
    ]);
    const args = ['--node', name, ...peers, '--control-socket', CONTROL_SOCKET];
    const agent = this.bundled
      ? spawnBundled(this.network, name, 'ricci', args)
      : this.network.spawn(name, process.execPath, [bin('ricci'), ...args]);
    const log = this.logs.get(name) ?? [];
    this.logs.set(name, log);
    agent.onLine((line) => {
      if (line.stream !== 'stdout' || !line.text.startsWith('{')) return;
      const stamped = { atNs: now(), value: JSON.parse(line.text) as AgentEvent };
      log.push(stamped);
      this.seen.emit('event', name, stamped);
    });
    this.agents.set(name, agent);
    return agent;
  }

  private startProbe(): void {
    const args = [httpProbeScript, this.floating, String(WEB_PORT)];
    args.push(String(PROBE_INTERVAL_MS), String(PROBE_TIMEOUT_MS));
    const probe = this.network.spawn('client', process.execPath, args);
    probe.onLine((line) => {
      const match = /^(\d+) (\S+)$/.exec(line.text);
      if (line.stream !== 'stdout' || match === null) return;
      const stamped = { atNs: BigInt(match[1] as string), value: match[2] as string };
      this.answers.push(stamped);
      this.seen.emit('answer', stamped);
    });
  }

  /** The newest leader any agent has logged, by term. */
  leader(): string | undefined {
    let best: { term: number; leader: string } | undefined;
    for (const log of this.logs.values()) {
      for (const { value } of log) {
        if (value.event !== 'leader-changed' || typeof value.leader !== 'string') continue;
        const term = Number(value.term);
        if (best === undefined || term > best.term) best = { term, leader: value.leader };
      }
    }
    return best?.leader;
  }

  /** The members in the newest membership the leader has logged. */
  members(): string[] {
    const leader = this.leader();
    const log = leader === undefined ? [] : (this.logs.get(leader) ?? []);
    const newest = log.filter((e) => e.value.event === 'membership-changed').at(-1);
    return (newest?.value.members as string[] | undefined) ?? [];
  }

  /**
   * The owner named by the newest `started` record in the leader's log. Only the leader's: an
   * agent that restarts logs every record it replays from its own, possibly stale, log.
   */
  owner(): string | undefined {
    const leader = this.leader();
    const log = leader === undefined ? [] : (this.logs.get(leader) ?? []);
    const newest = log.filter((e) => startedOn()(e.value)).at(-1);
    return newest === undefined ? undefined : String(newest.value.owner);
  }

  /** The client's current answer: the node serving the floating IP, or '-'. */
  currentAnswer(): string | undefined {
    return this.answers.at(-1)?.value;
  }

  /** The first event on one of `hosts` seen after `afterNs` that `match` accepts. */
  waitForEvent(
    hosts: readonly string[],
    match: (event: AgentEvent) => boolean,
    afterNs: bigint,
    waitMs: number,
  ): Promise<Stamped<AgentEvent>> {
    const found = hosts
      .flatMap((host) => this.logs.get(host) ?? [])
      .filter((e) => e.atNs > afterNs && match(e.value))
      .sort((a, b) => (a.atNs < b.atNs ? -1 : 1))[0];
    if (found) return Promise.resolve(found);
    return this.waitFor('event', `an event on ${hosts.join(', ')}`, waitMs, (...args) => {
      const [host, stamped] = args as [string, Stamped<AgentEvent>];
      return hosts.includes(host) && stamped.atNs > afterNs && match(stamped.value)
        ? stamped
        : undefined;
    });
  }

  /** When the client first got a page from a node `match` accepts, after `afterNs`. */
  waitForAnswer(
    match: (node: string) => boolean,
    afterNs: bigint,
    waitMs: number,
  ): Promise<Stamped<string>> {
    const found = this.answers.find((a) => a.atNs > afterNs && match(a.value));
    if (found) return Promise.resolve(found);
    return this.waitFor('answer', 'a page from the floating IP', waitMs, (...args) => {
      const [stamped] = args as [Stamped<string>];
      return stamped.atNs > afterNs && match(stamped.value) ? stamped : undefined;
    });
  }

  private waitFor<T>(
    kind: 'event' | 'answer',
    what: string,
    waitMs: number,
    accept: (...args: unknown[]) => T | undefined,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = (...args: unknown[]) => {
        const value = accept(...args);
        if (value === undefined) return;
        clearTimeout(timer);
        this.seen.off(kind, listener);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.seen.off(kind, listener);
        reject(new Error(`waited ${waitMs} ms for ${what}`));
      }, waitMs);
      this.seen.on(kind, listener);
    });
  }

  /** Runs one of bin/'s commands inside `host`, against that host's agent. */
  async command(host: string, name: string, args: readonly string[], waitMs: number) {
    if (this.bundled) {
      const env = { PATH: SYSTEM_PATH, QUORATE_SOCKET: CONTROL_SOCKET };
      const command = join(BUNDLE_PREFIX, 'bin', name);
      return this.network.exec(host, command, args, { env, timeoutMs: waitMs });
    }
    const env = { ...process.env, QUORATE_SOCKET: CONTROL_SOCKET };
    return this.network.exec(host, process.execPath, [bin(name), ...args], {
      env,
      timeoutMs: waitMs,
    });
  }

  /** Every host's log events, each with the monotonic instant it was seen (ns). */
  writeLogs(dir: string, prefix: string): void {
    mkdirSync(dir, { recursive: true });
    for (const [host, log] of this.logs) {
      const lines = log.map((e) => JSON.stringify({ atNs: String(e.atNs), ...e.value }));
      writeFileSync(join(dir, `${prefix}-${host}.jsonl`), `${lines.join('\n')}\n`);
    }
    const answers = this.answers.map((a) => `${a.atNs} ${a.value}`);
    writeFileSync(join(dir, `${prefix}-client.txt`), `${answers.join('\n')}\n`);
  }

  async close(): Promise<void> {
    await this.fence.close();
    await this.network.destroy();
  }
}
