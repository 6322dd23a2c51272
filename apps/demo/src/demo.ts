// `pnpm demo`: a three-node cluster of real agents on loopback with the demo fence agent and the
// demo web service, and the console with a one-time admin password. Runs until `stopped`
// resolves (Ctrl-C), then stops every process it started, by recorded pid, and leaves none.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_HOST, type AgentEvent, DemoAgents } from './demo-agents.js';
import { DEMO_SERVICE } from './demo-cluster-conf.js';
import {
  addDemoCluster,
  CONSOLE_HOST,
  consoleReady,
  setAdminPassword,
  startConsole,
} from './demo-console.js';
import {
  freshDemoDir,
  setAgentPasswords,
  writeCertificates,
  writeNodeFiles,
} from './demo-files.js';
import { DEMO_CLUSTER, type DemoLayout, demoLayout, repositoryRoot } from './demo-layout.js';
import { type DemoOptions, METRICS_PORT_OFFSET } from './demo-options.js';
import type { DemoProcess } from './demo-process.js';
import { killNodeProcesses, stopLeftovers } from './leftovers.js';

export interface DemoIo {
  readonly out: (line: string) => void;
}

/** How long the cluster may take to become quorate and start its service. */
const READY_TIMEOUT_MS = 90_000;
const CONSOLE_STOP_GRACE_MS = 5_000;
const SERVICE = `service:${DEMO_SERVICE}`;

/** Runs the demo until `stopped` resolves; resolves with the exit status. */
export async function runDemo(
  options: DemoOptions,
  io: DemoIo,
  stopped: Promise<void>,
): Promise<number> {
  const layout = demoLayout(options.dir);
  const say = (text: string) => io.out(`quorate demo: ${text}`);
  let agents: DemoAgents | null = null;
  let consoleServer: DemoProcess | null = null;
  try {
    const { agentPassword } = await prepareFiles(layout, options, say);
    const watch = new ClusterWatch(say, layout.nodes.length);
    agents = new DemoAgents({
      layout,
      basePort: options.basePort,
      onEvent: (event) => watch.agentEvent(event),
      onPower: (node, state, detail) => {
        watch.powerChanged(node);
        say(`${node} powered ${state}: ${detail}`);
      },
    });
    const ports = layout.nodes.map((node) => `${node.name} ${AGENT_HOST}:${agents?.portOf(node)}`);
    say(`[3/5] agents: ${ports.join(', ')}`);
    agents.start();
    consoleServer = startConsole(layout, options.consolePort);
    // Listening from its start: it may be ready before the cluster is.
    const consoleUp = consoleReady(consoleServer);
    consoleUp.catch(() => {});
    await raceStop(stopped, watch.ready, 'the cluster to become quorate and start its service');
    say(`[4/5] service ${DEMO_SERVICE} started: http://${AGENT_HOST}:${options.webPort}/`);
    await raceStop(stopped, consoleUp, 'the console to listen');
    const password = await setUpConsole(layout, options, agentPassword, say);
    printReady(io.out, layout, options, password);
    await stopped;
    return 0;
  } catch (error) {
    if (error instanceof StopRequested) return 0;
    say(`failed: ${(error as Error).message}`);
    return 1;
  } finally {
    say('stopping');
    await consoleServer?.stop(CONSOLE_STOP_GRACE_MS);
    await agents?.stop();
    await killNodeProcesses(layout);
    rmSync(layout.consolePidFile, { force: true });
    for (const node of layout.nodes) rmSync(node.pidFile, { force: true });
    say(`stopped; logs are in ${layout.root}`);
  }
}

/** A fresh demo folder with certificates, agent passwords, cluster.conf and the web service. */
async function prepareFiles(
  layout: DemoLayout,
  options: DemoOptions,
  say: (text: string) => void,
): Promise<{ agentPassword: string }> {
  say(`folder ${layout.root}`);
  if (process.getuid?.() === 0) {
    say(
      'running as root: this demo runs on loopback; --test-hosts runs it on test hosts with a real floating IP',
    );
  }
  stopLeftovers(layout);
  freshDemoDir(layout);
  say(`[1/5] certificates: cluster CA "demo", node1, node2, node3`);
  await writeCertificates(layout);
  // The same for every node: the console sends it to the one it is given, then to the others.
  const agentPassword = randomBytes(15).toString('base64url');
  await setAgentPasswords(layout, agentPassword);
  const { withDummy } = writeNodeFiles(layout, options.webPort);
  const resources = ['script (web server)', ...(withDummy ? ['ocf:heartbeat:Dummy'] : [])];
  say(
    `[2/5] cluster.conf: 3 nodes fenced by fence_demo; service ${DEMO_SERVICE}: ${resources.join(', ')}`,
  );
  return { agentPassword };
}

/** The one-time admin password, and the demo cluster added through node1; returns the password. */
async function setUpConsole(
  layout: DemoLayout,
  options: DemoOptions,
  agentPassword: string,
  say: (text: string) => void,
): Promise<string> {
  const password = await setAdminPassword(layout, options.consolePort);
  const agent = { address: AGENT_HOST, port: options.basePort, password: agentPassword };
  const refused = await addDemoCluster(layout, options.consolePort, password, agent);
  say(
    refused === null
      ? `[5/5] console ready, cluster ${DEMO_CLUSTER} added`
      : `[5/5] console ready; adding cluster ${DEMO_CLUSTER} failed (${refused}): add it on the console's first page with ${AGENT_HOST} port ${options.basePort} and agent password ${agentPassword}`,
  );
  return password;
}

class StopRequested extends Error {}

/** `work`, unless a stop is requested first; a stop while waiting is not a failure. */
async function raceStop<T>(stopped: Promise<void>, work: Promise<T>, what: string): Promise<T> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () =>
        reject(
          new Error(
            `no ${what} within ${READY_TIMEOUT_MS / 1000} s (its log is in the demo folder)`,
          ),
        ),
      READY_TIMEOUT_MS,
    ).unref(),
  );
  const stop = stopped.then(() => {
    throw new StopRequested();
  });
  return Promise.race([work, stop, timeout]);
}

/** Prints what an operator wants to see (quorum, service states, fencing) and tracks readiness. */
class ClusterWatch {
  private readonly quorate = new Set<string>();
  private readonly serviceStates = new Map<string, string>();
  private readyNow: () => void = () => {};
  /** Resolves once every agent is quorate and the demo service has started. */
  readonly ready = new Promise<void>((resolve) => {
    this.readyNow = resolve;
  });

  constructor(
    private readonly say: (text: string) => void,
    private readonly nodeCount: number,
  ) {}

  /** A node powered off or on is not quorate until its agent says so again. */
  powerChanged(node: string): void {
    this.quorate.delete(node);
  }

  agentEvent(event: AgentEvent): void {
    switch (event.event) {
      case 'quorum-changed':
        if (event.quorate === true) this.quorate.add(event.node);
        else this.quorate.delete(event.node);
        this.say(`${event.node}: ${event.quorate === true ? 'quorate' : 'not quorate'}`);
        break;
      case 'service-state-changed':
        this.serviceChanged(event);
        break;
      case 'fence-op-finished':
        this.say(
          `${event.node} fenced ${event.victim} with ${event.device} (${event.action}): ${event.ok === true ? 'done' : 'failed'}`,
        );
        break;
      case 'start-failed':
      case 'fatal':
        this.say(`${event.node}: ${event.event}: ${String(event.detail)}`);
        break;
    }
    if (
      this.quorate.size === this.nodeCount &&
      this.serviceStates.get(SERVICE)?.startsWith('started')
    ) {
      this.readyNow();
    }
  }

  /**
   * Every agent logs each committed change: each is printed once. A restarted agent replays its
   * log before it is quorate again; those old states are not news.
   */
  private serviceChanged(event: AgentEvent): void {
    if (!this.quorate.has(event.node)) return;
    // A start is told by the owner's own agent: by then clustat there shows it too.
    const starting = event.state === 'started' || event.state === 'starting';
    if (starting && typeof event.owner === 'string' && event.owner !== event.node) return;
    const state = `${event.state}${event.owner ? ` on ${event.owner}` : ''}`;
    const service = String(event.service);
    if (this.serviceStates.get(service) === state) return;
    this.serviceStates.set(service, state);
    this.say(`${service}: ${state}`);
  }
}

function printReady(
  out: (line: string) => void,
  layout: DemoLayout,
  options: DemoOptions,
  password: string,
): void {
  const node1 = layout.nodes[0]!;
  const bin = join(repositoryRoot, 'bin');
  out('');
  out(`Console: https://${CONSOLE_HOST}:${options.consolePort}/`);
  out(`Sign in as admin with the one-time password: ${password}`);
  out('(the certificate is self-signed: accept it once in the browser)');
  out('');
  out(`Web service: http://${AGENT_HOST}:${options.webPort}/ names the node that runs it`);
  out(`Cluster status: QUORATE_SOCKET=${node1.controlSocket} ${bin}/clustat`);
  out(
    `Metrics: http://${AGENT_HOST}:${options.basePort + METRICS_PORT_OFFSET}/metrics (node1; +1, +2 for node2, node3)`,
  );
  out(
    `Move the service: QUORATE_SOCKET=${node1.controlSocket} ${bin}/clusvcadm -r ${DEMO_SERVICE} -m node2`,
  );
  out(
    `Power a node off: printf 'action=off\\nport=node1\\ndemo_dir=${layout.root}\\n' | ${layout.fenceAgent}`,
  );
  out('Ctrl-C stops everything.');
  out('');
}
