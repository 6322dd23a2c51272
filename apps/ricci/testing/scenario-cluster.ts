// Test fixture for the issue 9 scenarios: agents (bin/ricci, the built code) on test hosts, the
// RHCS commands run inside a host against that host's agent, and the client host fetching the
// floating IP's page. Cluster node names may differ from the host names (the seed's
// node1.magedu.com runs on host node1); every wait is on an agent's log event.
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HostProcess, runPaths, TestNetwork } from '@quorate/e2e';
import { createClusterCa, createNodeCert } from '../src/tls/certificates.js';
import { tlsDirIn, writeCa, writeNodePair } from '../src/tls/tls-files.js';
import type { LogEvent } from './agent-events.js';

const here = dirname(fileURLToPath(import.meta.url));
export const binDir = join(here, '../../../bin');
export const AGENT_PORT = 11111;
export const WEB_PORT = 8080;
/** Each host's agent serves its own socket: /run is shared by the test hosts. */
export const CONTROL_SOCKET = '/var/lib/quorate/ricci.sock';

export interface CommandOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ScenarioOptions {
  readonly clusterName: string;
  /** The cluster.conf node names, one per cluster host (host `nodeN` runs the Nth). */
  readonly nodeNames: readonly string[];
  /** How long any one wait for an agent event may take before the test fails. */
  readonly waitMs: number;
}

/** `service-state-changed` to `state` for `service` (on `owner`, when given). */
export const serviceState =
  (service: string, state: string, owner?: string) =>
  (event: LogEvent): boolean =>
    event.event === 'service-state-changed' &&
    event.service === service &&
    event.state === state &&
    (owner === undefined || event.owner === owner);

export const quorumIs =
  (quorate: boolean) =>
  (event: LogEvent): boolean =>
    event.event === 'quorum-changed' && event.quorate === quorate;

export class ScenarioCluster {
  private readonly agents = new Map<string, HostProcess>();
  /** Each node's log events across every start of its agent, in order. */
  private readonly logs = new Map<string, LogEvent[]>();
  private readonly logged = new EventEmitter().setMaxListeners(0);
  /** Where in its node's log each node's current agent began. */
  private readonly startMarks = new Map<string, number>();

  private constructor(
    readonly network: TestNetwork,
    readonly options: ScenarioOptions,
    /** A folder in the run's folder, visible inside every host, removed with the network. */
    readonly dir: string,
  ) {}

  /** A network with a client host, and a certificate from one cluster CA for every node. */
  static async create(options: ScenarioOptions): Promise<ScenarioCluster> {
    const clusterHosts = options.nodeNames.length;
    const network = await TestNetwork.create({ clusterHosts, client: true, console: false });
    try {
      const dir = join(runPaths(network.runId).root, 'scenario');
      mkdirSync(dir);
      const cluster = new ScenarioCluster(network, options, dir);
      const ca = await createClusterCa({ clusterName: options.clusterName });
      for (const node of options.nodeNames) {
        const tls = tlsDirIn(cluster.host(node).paths.mounts['/var/lib/quorate']);
        writeCa(tls, ca);
        writeNodePair(tls, node, await createNodeCert({ nodeName: node, ca }));
      }
      return cluster;
    } catch (error) {
      await network.destroy();
      throw error;
    }
  }

  get nodes(): readonly string[] {
    return this.options.nodeNames;
  }

  /** The test host that runs cluster node `node`. */
  hostName(node: string): string {
    const index = this.options.nodeNames.indexOf(node);
    if (index < 0) throw new Error(`node: "${node}" is not one of ${this.nodes.join(', ')}`);
    return `node${index + 1}`;
  }

  host(node: string) {
    return this.network.host(this.hostName(node));
  }

  /** The node whose host is `hostName`. */
  nodeOn(hostName: string): string {
    const node = this.options.nodeNames[Number(hostName.replace(/^node/, '')) - 1];
    if (node === undefined) throw new Error(`host: "${hostName}" runs no cluster node`);
    return node;
  }

  /** The host's /etc/cluster, as the machine sees it. */
  configDir(node: string): string {
    return this.host(node).paths.mounts['/etc/cluster'];
  }

  writeClusterConf(node: string, text: string): void {
    writeFileSync(join(this.configDir(node), 'cluster.conf'), text);
  }

  /** Starts the node's agent (again, after a stop or a power cycle: its state folder is kept). */
  start(node: string, extraArgs: readonly string[] = []): HostProcess {
    const peers = this.nodes
      .filter((peer) => peer !== node)
      .flatMap((peer) => ['--peer', `${peer}=${this.host(peer).address}:${AGENT_PORT}`]);
    const args = [join(binDir, 'ricci'), '--node', node, ...peers];
    args.push('--control-socket', CONTROL_SOCKET, ...extraArgs);
    const agent = this.network.spawn(this.hostName(node), process.execPath, args);
    this.agents.set(node, agent);
    const log = this.logs.get(node) ?? [];
    this.logs.set(node, log);
    this.startMarks.set(node, log.length);
    agent.onLine((line) => {
      if (line.stream !== 'stdout' || !line.text.startsWith('{')) return;
      const event = JSON.parse(line.text) as LogEvent;
      log.push(event);
      this.logged.emit(node, event);
    });
    return agent;
  }

  /** SIGTERM (a clean leave, as `service cman stop`), then the agent's exit. */
  async stop(node: string): Promise<void> {
    const agent = this.agent(node);
    agent.kill('SIGTERM');
    await agent.waitForExit(this.options.waitMs);
  }

  agent(node: string): HostProcess {
    const agent = this.agents.get(node);
    if (!agent) throw new Error(`${node}: no agent started`);
    return agent;
  }

  /** Whether the node's latest agent is running. */
  isRunning(node: string): boolean {
    const agent = this.agents.get(node);
    return agent !== undefined && agent.exitStatusIfExited === undefined;
  }

  /** The node's log events so far, across every start of its agent (a restart adds on). */
  events(node: string): readonly LogEvent[] {
    return this.logs.get(node) ?? [];
  }

  /** Where the node's current agent began in `events(node)`. */
  startMark(node: string): number {
    return this.startMarks.get(node) ?? 0;
  }

  /** How many events the node has logged: a mark for `waitFor`. */
  mark(node: string): number {
    return this.events(node).length;
  }

  /**
   * The first event of the node after the first `after` (seen or yet to come, from this agent or
   * one started later) that `match` accepts. The deadline only turns a hang into a failure.
   */
  waitFor(node: string, match: (event: LogEvent) => boolean, after = 0): Promise<LogEvent> {
    const seen = this.events(node).slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    const waitMs = this.options.waitMs;
    return new Promise((resolve, reject) => {
      const listener = (event: LogEvent) => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.logged.off(node, listener);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.logged.off(node, listener);
        const tail = this.agents.get(node)?.output().slice(-4000) ?? '(no agent started)';
        reject(new Error(`${node}: no matching event within ${waitMs} ms:\n${tail}`));
      }, waitMs);
      this.logged.on(node, listener);
    });
  }

  /** Resolves once the newest quorum event of the node's current agent says quorate. */
  async quorate(node: string): Promise<void> {
    const mark = this.mark(node);
    const current = this.events(node).slice(this.startMark(node));
    if (current.filter((e) => e.event === 'quorum-changed').at(-1)?.quorate === true) return;
    await this.waitFor(node, quorumIs(true), mark);
  }

  /** Runs one of bin/'s commands inside the node's host, against that host's agent. */
  async command(
    node: string,
    name: string,
    args: readonly string[],
    input?: string,
  ): Promise<CommandOutcome> {
    const env: NodeJS.ProcessEnv = { ...process.env, QUORATE_SOCKET: CONTROL_SOCKET };
    delete env.QUORATE_CONFIG_DIR;
    const result = await this.network.exec(
      this.hostName(node),
      process.execPath,
      [join(binDir, name), ...args],
      { env, timeoutMs: this.options.waitMs, ...(input === undefined ? {} : { input }) },
    );
    return { status: result.code, stdout: result.stdout, stderr: result.stderr };
  }

  /** The page the client host gets from `address`, or the error it got instead. */
  async fetchPage(address: string): Promise<string> {
    const fetchScript = `const req = require('node:http').get(process.argv[1], { timeout: 3000 }, (res) => {
      res.setEncoding('utf8'); let body = ''; res.on('data', (c) => { body += c; });
      res.on('end', () => process.stdout.write(body)); });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) => { console.error(e.message); process.exit(1); });`;
    const url = `http://${address}:${WEB_PORT}/`;
    const got = await this.network.exec('client', process.execPath, ['-e', fetchScript, url], {
      timeoutMs: 10_000,
    });
    return got.stdout.trim() || `error: ${got.stderr.trim()}`;
  }

  /**
   * Every agent stopped (SIGTERM: they leave cleanly), then the network removed. With
   * QUORATE_SCENARIO_LOGS=DIR, every agent's output (each start of it) is kept there first.
   */
  async destroy(): Promise<void> {
    const keep = process.env.QUORATE_SCENARIO_LOGS;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      for (const [i, run] of this.network.processes.entries()) {
        if (!run.argv.some((arg) => arg.endsWith('/ricci'))) continue;
        writeFileSync(join(keep, `${this.network.runId}-${run.host}-${i}.log`), run.output());
      }
    }
    const running = [...this.agents.values()].filter((a) => a.exitStatusIfExited === undefined);
    for (const agent of running) agent.kill('SIGTERM');
    await Promise.all(
      running.map((agent) => agent.waitForExit(this.options.waitMs).catch(() => undefined)),
    );
    await this.network.destroy();
  }
}

/** A `<clusternode>` fenced by one device in one method. */
export function fencedNode(name: string, nodeid: number, device: string, port?: string): string {
  const portAttribute = port === undefined ? '' : ` port="${port}"`;
  return `    <clusternode name="${name}" nodeid="${nodeid}" votes="1">
      <fence><method name="1"><device name="${device}"${portAttribute}/></method></fence>
    </clusternode>
`;
}
