// The three demo agents: real `ricci` processes on loopback, each in its own folder and process
// group. A node fence_demo powered off stays off until fence_demo powers it on (its `on` action
// leaves a request file that this watches), and then its agent starts again on the same state,
// as a rebooted machine's would.
import { existsSync, type FSWatcher, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { type DemoLayout, type NodePaths, repositoryRoot } from './demo-layout.js';
import { METRICS_PORT_OFFSET } from './demo-options.js';
import { DemoProcess, jsonLine } from './demo-process.js';

export const AGENT_HOST = '127.0.0.1';
/** How long SIGTERM may take before the group is killed: the agent's leave waits up to 1 s. */
const AGENT_STOP_GRACE_MS = 5_000;

export type AgentEvent = Record<string, unknown> & {
  readonly node: string;
  readonly event: string;
};

export interface DemoAgentsOptions {
  readonly layout: DemoLayout;
  readonly basePort: number;
  /** Every JSON log line of every agent, with the agent's node name. */
  readonly onEvent: (event: AgentEvent) => void;
  /** A node's agent ended without being asked to (fence_demo powered it off), or started again. */
  readonly onPower: (node: string, state: 'off' | 'on', detail: string) => void;
}

export class DemoAgents {
  private readonly agents = new Map<string, DemoProcess>();
  private readonly watchers: FSWatcher[] = [];
  private stopping = false;

  constructor(private readonly options: DemoAgentsOptions) {}

  portOf(node: NodePaths): number {
    return this.options.basePort + this.options.layout.nodes.indexOf(node);
  }

  /** Where the node's agent serves Prometheus `/metrics`. */
  metricsPortOf(node: NodePaths): number {
    return this.portOf(node) + METRICS_PORT_OFFSET;
  }

  /** Starts every agent and watches for fence_demo's power-on requests. */
  start(): void {
    for (const node of this.options.layout.nodes) {
      this.startAgent(node);
      this.watchers.push(watch(node.dir, () => this.powerOnRequested(node)));
    }
  }

  agent(name: string): DemoProcess | undefined {
    return this.agents.get(name);
  }

  /** SIGTERM to every agent (they leave the cluster), SIGKILL to a group that outlives the grace. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const watcher of this.watchers) watcher.close();
    await Promise.all([...this.agents.values()].map((agent) => agent.stop(AGENT_STOP_GRACE_MS)));
  }

  private startAgent(node: NodePaths): void {
    const { layout } = this.options;
    const peers = layout.nodes
      .filter((peer) => peer !== node)
      .flatMap((peer) => ['--peer', `${peer.name}=${AGENT_HOST}:${this.portOf(peer)}`]);
    const agent = new DemoProcess({
      name: node.name,
      command: process.execPath,
      args: [
        join(repositoryRoot, 'bin/ricci'),
        '--node',
        node.name,
        '--listen',
        AGENT_HOST,
        '--port',
        String(this.portOf(node)),
        ...peers,
        '--state-dir',
        node.stateDir,
        '--config-dir',
        node.configDir,
        '--control-socket',
        node.controlSocket,
        '--metrics-listen',
        `${AGENT_HOST}:${this.metricsPortOf(node)}`,
      ],
      // Every process of the node inherits it: fence_demo finds them there.
      cwd: node.runDir,
      env: process.env,
      pidFile: node.pidFile,
      logFile: node.logFile,
    });
    this.agents.set(node.name, agent);
    agent.onLine((line) => {
      const fields = jsonLine(line);
      if (typeof fields?.event === 'string') {
        this.options.onEvent({ ...fields, node: node.name, event: fields.event });
      }
    });
    void agent.exited.then((exit) => {
      if (this.stopping || this.agents.get(node.name) !== agent) return;
      rmSync(node.pidFile, { force: true });
      this.options.onPower(
        node.name,
        'off',
        `agent ended by ${exit.signal ?? `exit ${exit.code}`}`,
      );
    });
  }

  private async powerOnRequested(node: NodePaths): Promise<void> {
    if (this.stopping || !existsSync(node.powerOnFile)) return;
    rmSync(node.powerOnFile, { force: true });
    const agent = this.agents.get(node.name);
    // fence_demo has killed it (off, then on): its exit may not have been reaped yet.
    if (agent?.running) {
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), AGENT_STOP_GRACE_MS).unref(),
      );
      if ((await Promise.race([agent.exited, timeout])) === 'timeout') return;
    }
    if (this.stopping) return;
    this.startAgent(node);
    this.options.onPower(node.name, 'on', 'fence_demo powered it on; its agent starts again');
  }
}
