// `pnpm demo -- --test-hosts` as root: the demo on test hosts (apps/demo starts this file as its
// own process; nothing imports it). Three real agents on namespaces, `webservice` with a real
// floating IP on the test-host bridge, power fencing through fence_testhost, the console in the
// console host and a client host to fetch the page from. The administrator reaches the console
// through 127.0.0.1:<port> in the root namespace, which this process relays to a Unix socket that
// a relay in the console host serves: a path socket crosses namespaces without a packet, so
// nothing in the root namespace sends a packet to a test-host address. Ctrl-C sweeps the run.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeAgentCertificates } from './agent-certificates.js';
import { NODE_NAMES } from './failover-cluster.js';
import { type FenceControl, fenceTestHostAgent, serveFenceControl } from './fence-control.js';
import type { HostProcess } from './host-process.js';
import { runPaths } from './layout.js';
import { missingRequirement } from './requirements.js';
import { TestNetwork } from './test-network.js';
import { writeWebService } from './web-service.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLUSTER = 'demo';
const SERVICE = 'service:webservice';
const AGENT_PORT = 11111;
/** luci's port on the console host's own loopback, where only the relay connects to it. */
const CONSOLE_PORT_IN_HOST = 8084;
/** The loopback demo's console port, here the root namespace's end of the relay. */
const DEFAULT_CONSOLE_PORT = 8084;
/** Each host's agent serves its own control socket: the test hosts share the machine's /run. */
const CONTROL_SOCKET = '/var/lib/quorate/ricci.sock';
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;
/** @quorate/protocol's csrfHeaderName (e2e depends on no workspace package). */
const CSRF_HEADER = 'x-csrf-token';

const TEST_HOSTS_USAGE = `usage: pnpm demo -- --test-hosts [--console-port N]
As root: a three-node cluster on test hosts (network namespaces) with a real floating IP, power
fencing and the console, reached at https://127.0.0.1:N/ (default ${DEFAULT_CONSOLE_PORT}).
Ctrl-C removes it all.
`;

const say = (text: string) => process.stdout.write(`quorate demo: ${text}\n`);
const startedAtMs = Date.now();
/** A step's line, with the seconds since this process started. */
const step = (text: string) =>
  say(`${text} (+${((Date.now() - startedAtMs) / 1000).toFixed(1)} s)`);

function parseConsolePort(args: readonly string[]): number | 'help' {
  const given = args[0] === '--' ? args.slice(1) : args;
  const { values } = parseArgs({
    args: [...given],
    options: { 'console-port': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return 'help';
  const text = values['console-port'] ?? String(DEFAULT_CONSOLE_PORT);
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`--console-port: ${text} is not a TCP port (1-65535)`);
  }
  return port;
}

/** `webservice`: the floating IP and the test web server on it, port 80; power fencing. */
function clusterConf(floating: string, webScript: string, fenceSocket: string): string {
  const nodes = NODE_NAMES.map(
    (name, i) => `    <clusternode name="${name}" nodeid="${i + 1}">
      <fence><method name="power"><device name="testhost" port="${name}"/></method></fence>
    </clusternode>\n`,
  );
  return `<?xml version="1.0"?>
<cluster name="${CLUSTER}" config_version="1">
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <fencedevices>
    <fencedevice name="testhost" agent="${fenceTestHostAgent}" socket="${fenceSocket}"/>
  </fencedevices>
  <rm>
    <service name="webservice" autostart="1" recovery="relocate">
      <ip address="${floating}" monitor_link="1"/>
      <script name="web" file="${webScript}"/>
    </service>
  </rm>
</cluster>
`;
}

/** The relay in the console host: the Unix socket's connections to luci on its loopback. */
const relayScript = `import { chmodSync } from 'node:fs';
import { connect, createServer } from 'node:net';
const [socketPath, port] = process.argv.slice(2);
const server = createServer((client) => {
  const luci = connect(Number(port), '127.0.0.1');
  client.pipe(luci).pipe(client);
  client.on('close', () => luci.destroy());
  luci.on('close', () => client.destroy());
  client.on('error', () => luci.destroy());
  luci.on('error', () => client.destroy());
});
server.listen(socketPath, () => {
  chmodSync(socketPath, 0o600);
  console.log('relaying');
});
`;

/**
 * The root namespace's end: 127.0.0.1:<port>, each connection piped to the console host's Unix
 * socket. It listens before anything is built, so a taken port fails at once; connections made
 * before the socket is known are closed.
 */
class ConsoleForward {
  private socketPath: string | undefined;
  private readonly open = new Set<Socket>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((client) => this.relay(client));
  }

  static listen(port: number): Promise<ConsoleForward> {
    const forward = new ConsoleForward();
    return new Promise((resolve, reject) => {
      forward.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`--console-port: 127.0.0.1:${port}: ${error.code ?? error.message}`)),
      );
      forward.server.listen(port, '127.0.0.1', () => resolve(forward));
    });
  }

  to(socketPath: string): void {
    this.socketPath = socketPath;
  }

  close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    if (this.socketPath === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect(this.socketPath);
    for (const socket of [client, upstream]) {
      this.open.add(socket);
      socket.on('close', () => {
        this.open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  }
}

type AgentEvent = Record<string, unknown> & { readonly event: string };

/**
 * The agents: started on their hosts, again when a host is powered on (as its init would), and
 * what they log that an operator wants to see (quorum, service states, fencing).
 */
class DemoAgents {
  private readonly agents = new Map<string, HostProcess>();
  private readonly quorate = new Set<string>();
  private serviceState = '';
  private stopping = false;
  private readyNow: () => void = () => {};
  /** Resolves once every agent is quorate and the service has started. */
  readonly ready = new Promise<void>((resolve) => {
    this.readyNow = resolve;
  });

  constructor(private readonly network: TestNetwork) {
    network.onPowerChange((host, on) => {
      if (!NODE_NAMES.includes(host) || this.stopping) return;
      this.quorate.delete(host);
      say(`${host} powered ${on ? 'on: its agent starts again' : 'off'}`);
      if (on) this.start(host);
    });
  }

  start(name: string): void {
    const peers = NODE_NAMES.filter((peer) => peer !== name).flatMap((peer) => [
      '--peer',
      `${peer}=${this.network.host(peer).address}:${AGENT_PORT}`,
    ]);
    const args = [join(repo, 'bin/ricci'), '--node', name, ...peers];
    const agent = this.network.spawn(name, process.execPath, [
      ...args,
      '--control-socket',
      CONTROL_SOCKET,
    ]);
    agent.onLine((line) => {
      if (line.stream !== 'stdout' || !line.text.startsWith('{')) return;
      const event = JSON.parse(line.text) as Partial<AgentEvent>;
      if (typeof event.event === 'string') this.seen(name, event as AgentEvent);
    });
    this.agents.set(name, agent);
  }

  /** SIGTERM: each agent leaves the cluster; what outlives the grace is the sweep's. */
  async stop(): Promise<void> {
    this.stopping = true;
    const agents = [...this.agents.values()];
    for (const agent of agents) agent.kill('SIGTERM');
    await Promise.all(agents.map((agent) => agent.waitForExit(STOP_GRACE_MS).catch(() => null)));
  }

  private seen(node: string, event: AgentEvent): void {
    if (event.event === 'quorum-changed') {
      if (event.quorate === true) this.quorate.add(node);
      else this.quorate.delete(node);
      say(`${node}: ${event.quorate === true ? 'quorate' : 'not quorate'}`);
    } else if (event.event === 'service-state-changed') {
      this.serviceChanged(node, event);
    } else if (event.event === 'fence-op-finished') {
      const result = event.ok === true ? 'done' : 'failed';
      say(`${node} fenced ${String(event.victim)} (${String(event.action)}): ${result}`);
    }
    if (this.quorate.size === NODE_NAMES.length && this.serviceState.startsWith('started')) {
      this.readyNow();
    }
  }

  /** Every agent logs each committed change: printed once, a start only by its owner. */
  private serviceChanged(node: string, event: AgentEvent): void {
    if (event.service !== SERVICE || !this.quorate.has(node)) return;
    const owner = typeof event.owner === 'string' ? event.owner : undefined;
    const starting = event.state === 'started' || event.state === 'starting';
    if (starting && owner !== undefined && owner !== node) return;
    const state = `${String(event.state)}${owner ? ` on ${owner}` : ''}`;
    if (state === this.serviceState) return;
    this.serviceState = state;
    say(`${SERVICE}: ${state}`);
  }
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly cookie: string | undefined;
}

/** One JSON request to the console through the forwarded port, as its web app makes it. */
function consoleCall(
  port: number,
  ca: string,
  path: string,
  body: unknown,
  session?: { readonly cookie: string; readonly csrfToken: string },
): Promise<Answer> {
  const origin = `https://127.0.0.1:${port}`;
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    origin,
  };
  if (session) Object.assign(headers, { cookie: session.cookie, [CSRF_HEADER]: session.csrfToken });
  return new Promise((resolve, reject) => {
    const sent = request(`${origin}${path}`, { method: 'POST', ca, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          cookie: [response.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0],
        }),
      );
    });
    sent.on('error', reject);
    sent.end(text);
  });
}

/** The one-time admin password, then the cluster added through node1; returns the password. */
async function setUpConsole(
  port: number,
  ca: string,
  node1: string,
  agentPassword: string,
): Promise<string> {
  const password = randomBytes(15).toString('base64url');
  const setup = await consoleCall(port, ca, '/api/setup', { password });
  if (setup.status !== 201)
    throw new Error(`the console refused the admin password (${setup.status})`);
  const login = await consoleCall(port, ca, '/api/session', { user: 'admin', password });
  if (login.status !== 200 || !login.cookie) throw new Error(`sign-in failed (${login.status})`);
  const { csrfToken } = JSON.parse(login.body) as { csrfToken: string };
  const cluster = { address: node1, port: AGENT_PORT, agentPassword };
  const added = await consoleCall(port, ca, '/api/clusters', cluster, {
    cookie: login.cookie,
    csrfToken,
  });
  if (added.status !== 201) {
    say(`adding cluster ${CLUSTER} failed (HTTP ${added.status}: ${added.body}): add it on the`);
    say(
      `console's first page with ${node1} port ${AGENT_PORT} and agent password ${agentPassword}`,
    );
  }
  return password;
}

class StopRequested extends Error {}

/** `work`, unless a stop comes first (not a failure) or it takes longer than the ready bound. */
function unlessStopped<T>(stopped: Promise<void>, work: Promise<T>, what: string): Promise<T> {
  const stop = stopped.then((): never => {
    throw new StopRequested();
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`no ${what} within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    ).unref(),
  );
  return Promise.race([work, stop, timeout]);
}

/** Everything this run made; `close` stops it in order and sweeps the run by its id. */
interface Running {
  network?: TestNetwork;
  fence?: FenceControl;
  agents?: DemoAgents;
  luci?: HostProcess;
  relay?: HostProcess;
}

async function close(running: Running, forward: ConsoleForward): Promise<void> {
  await forward.close();
  for (const server of [running.relay, running.luci]) {
    server?.kill('SIGTERM');
    await server?.waitForExit(STOP_GRACE_MS).catch(() => null);
  }
  await running.agents?.stop();
  await running.fence?.close();
  const report = await running.network?.destroy();
  if (report === undefined) return;
  const namespaces = report.deletedNamespaces.join(', ');
  const leftovers = `${report.killedPids.length} remaining process(es) killed`;
  say(`removed run ${report.runId}: namespaces ${namespaces}; ${leftovers}; its folder`);
}

/** Network, fence control, files, agents: resolves when the hosts are made and agents started. */
async function buildCluster(running: Running): Promise<{ floating: string; password: string }> {
  step('[1/5] test hosts: node1, node2, node3, client, console (network namespaces)');
  const network = await TestNetwork.create({ clusterHosts: 3, client: true, console: true });
  running.network = network;
  say(`run ${network.runId}: namespaces ${network.host('node1').namespace.replace(/node1$/, '*')}`);
  running.fence = await serveFenceControl(network);
  const runDir = runPaths(network.runId).root;
  const floating = `${network.subnet}.100`;
  const web = writeWebService(runDir, `${floating} 80`);
  const conf = clusterConf(floating, web, running.fence.socketPath);
  step(`[2/5] certificates and cluster.conf: ${SERVICE} on ${floating}, fence_testhost`);
  writeAgentCertificates(network, CLUSTER, NODE_NAMES);
  const password = randomBytes(15).toString('base64url');
  // All three at once: each is a Node.js start and a scrypt hash.
  const setPassword = async (name: string) => {
    const configDir = network.host(name).paths.mounts['/etc/cluster'];
    writeFileSync(join(configDir, 'cluster.conf'), conf);
    const ricci = [join(repo, 'bin/ricci'), 'password'];
    const options = { input: `${password}\n`, timeoutMs: 60_000 };
    const set = await network.exec(name, process.execPath, ricci, options);
    if (set.code !== 0) throw new Error(`${name}: ricci password: ${set.stderr.trim()}`);
  };
  await Promise.all(NODE_NAMES.map(setPassword));
  running.agents = new DemoAgents(network);
  step('[3/5] agents: node1, node2, node3 on port 11111 of their hosts');
  for (const name of NODE_NAMES) running.agents.start(name);
  return { floating, password };
}

/** luci on the console host's loopback and the relay to it from the run's Unix socket. */
async function startConsole(running: Running, forward: ConsoleForward): Promise<string> {
  const network = running.network as TestNetwork;
  const runDir = runPaths(network.runId).root;
  const dataDir = join(runDir, 'console');
  const args = [join(repo, 'apps/luci/dist/main.js'), '--data-dir', dataDir];
  args.push('--host', '127.0.0.1', '--port', String(CONSOLE_PORT_IN_HOST));
  args.push('--web-dir', join(repo, 'apps/web/dist'));
  running.luci = network.spawn('console', process.execPath, args, {
    env: { ...process.env, LUCI_LOG_LEVEL: 'info' },
  });
  const relay = join(runDir, 'console-relay.mjs');
  writeFileSync(relay, relayScript);
  const socketPath = join(runDir, 'console.sock');
  const relayArgs = [relay, socketPath, String(CONSOLE_PORT_IN_HOST)];
  running.relay = network.spawn('console', process.execPath, relayArgs);
  await running.relay.waitForLine('relaying', READY_TIMEOUT_MS);
  await running.luci.waitForLine(/console ready/, READY_TIMEOUT_MS);
  forward.to(socketPath);
  return readFileSync(join(dataDir, 'tls', 'console.crt'), 'utf8');
}

function printReady(network: TestNetwork, port: number, password: string, floating: string) {
  const runDir = runPaths(network.runId).root;
  const socket = join(network.host('node1').paths.mounts['/var/lib/quorate'], 'ricci.sock');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out('');
  out(`Console: https://127.0.0.1:${port}/`);
  out(`Sign in as admin with the one-time password: ${password}`);
  out('(the certificate is self-signed: accept it once in the browser)');
  out(`(127.0.0.1:${port} is relayed through ${join(runDir, 'console.sock')} to the console host)`);
  out('');
  out(`Web service: ip netns exec ${network.host('client').namespace} curl http://${floating}/`);
  out(`Cluster status: QUORATE_SOCKET=${socket} ${join(repo, 'bin/clustat')}`);
  out(
    `Move the service: QUORATE_SOCKET=${socket} ${join(repo, 'bin/clusvcadm')} -r webservice -m node2`,
  );
  const fenceSocket = join(runDir, 'fence.sock');
  out(
    `Power a node off: printf 'action=off\\nport=node1\\nsocket=${fenceSocket}\\n' | ${fenceTestHostAgent}`,
  );
  out('Ctrl-C stops everything and removes the test hosts.');
  out('');
}

/** Readiness, the console set up and the lines printed; then waits for the stop. */
async function serveUntilStopped(
  port: number,
  stopped: Promise<void>,
  running: Running,
  building: ReturnType<typeof buildCluster>,
  forward: ConsoleForward,
): Promise<number> {
  try {
    const { floating, password } = await unlessStopped(stopped, building, 'test hosts');
    const network = running.network as TestNetwork;
    const consoleUp = startConsole(running, forward);
    consoleUp.catch(() => {});
    const agents = running.agents as DemoAgents;
    await unlessStopped(stopped, agents.ready, 'quorate cluster with its service started');
    step(`[4/5] ${SERVICE} started on its floating IP ${floating}`);
    const ca = await unlessStopped(stopped, consoleUp, 'console');
    const node1 = network.host('node1').address;
    const admin = await unlessStopped(stopped, setUpConsole(port, ca, node1, password), 'setup');
    step(`[5/5] console ready, cluster ${CLUSTER} added`);
    printReady(network, port, admin, floating);
    await stopped;
    return 0;
  } catch (error) {
    if (error instanceof StopRequested) return 0;
    say(`failed: ${(error as Error).message}`);
    return 1;
  }
}

async function runTestHostDemo(port: number, stopped: Promise<void>): Promise<number> {
  let forward: ConsoleForward;
  try {
    forward = await ConsoleForward.listen(port);
  } catch (error) {
    say(`failed: ${(error as Error).message}`);
    return 2;
  }
  const running: Running = {};
  const building = buildCluster(running);
  const code = await serveUntilStopped(port, stopped, running, building, forward);
  say('stopping');
  // Even after an early stop: nothing may be made after the clean-up.
  await building.catch(() => undefined);
  try {
    await close(running, forward);
    say('stopped');
    return code;
  } catch (error) {
    const left = running.network ? runPaths(running.network.runId).root : 'nothing';
    say(`clean-up failed: ${(error as Error).message}; left: ${left}`);
    return 1;
  }
}

async function main(args: readonly string[]): Promise<number> {
  let port: number | 'help';
  try {
    port = parseConsolePort(args);
  } catch (error) {
    process.stderr.write(`quorate demo: ${(error as Error).message}\n${TEST_HOSTS_USAGE}`);
    return 2;
  }
  if (port === 'help') {
    process.stdout.write(TEST_HOSTS_USAGE);
    return 0;
  }
  const missing = missingRequirement();
  if (missing !== undefined) {
    process.stderr.write(`quorate demo: --test-hosts: ${missing}\n`);
    return 2;
  }
  let stopRequested = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      // A second Ctrl-C must not end this process half-way through its clean-up.
      if (stopRequested) say('already stopping: the test hosts are being removed');
      stopRequested = true;
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  say(`test-host mode, started ${new Date().toISOString()}`);
  return runTestHostDemo(port, stopped);
}

process.exitCode = await main(process.argv.slice(2));
