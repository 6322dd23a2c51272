import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { ClusterNode, parseClusterConf, ServiceController } from '@quorate/core';
import { FenceAgentRunner } from '../agent-runner/fence-agent-runner.js';
import { METADATA_CACHE_FILE, MetadataCache } from '../agent-runner/metadata-cache.js';
import { discoverAgents, discoverFenceAgents } from '../agent-runner/metadata-discovery.js';
import { ResourceAgentRunner } from '../agent-runner/resource-agent-runner.js';
import { CONSOLE_DIR } from '../console/agent-password.js';
import { ClusterConsoleTrust } from '../console/cluster-trust.js';
import { type AgentAddress, ConsoleApi } from '../console/console-server.js';
import { LogRing } from '../console/log-ring.js';
import { readStdin, runPasswordCommand } from '../console/password-command.js';
import type { ControlProvider } from '../control/control-provider.js';
import { type ControlServer, serveControlSocket } from '../control/control-server.js';
import { AgentOperationExecutor } from '../executor/agent-operation-executor.js';
import { startWithMetrics } from '../metrics/daemon-metrics.js';
import { CLUSTER_CONF_FILE, writeClusterConf } from '../storage/cluster-conf-file.js';
import { DurableLog, type RestoredState } from '../storage/durable-log.js';
import { wipeForRejoin } from '../storage/rejoin.js';
import {
  ensurePrivateDir,
  LOCK_FILE,
  lockStateDir,
  type StateDirLock,
} from '../storage/state-dir.js';
import { CorruptStateError, StateDirLockedError } from '../storage/storage-errors.js';
import { type NodeTlsMaterial, readNodeTls, tlsDirIn } from '../tls/tls-files.js';
import { PeerTransport } from '../transport/peer-transport.js';
import { DaemonControl } from './daemon-control.js';
import { type DaemonOptions, OptionsError, parseDaemonArgs, USAGE } from './daemon-options.js';
import { type JsonLog, jsonLog } from './json-log.js';
import { KILLED_EXIT_STATUS, obeyKill, requestKill } from './kill-request.js';
import { NodeHost } from './node-host.js';
import { TickClock } from './tick-clock.js';
import { type ClusterView, clusterView } from './voting-config.js';

export const RICCI_VERSION = '0.1.0';
/** How long SIGTERM waits for the leave notices to reach the peers before it closes the links. */
const LEAVE_FLUSH_MS = 1000;
/**
 * How long SIGTERM waits for the local services to stop before it exits without a goodbye (its
 * peers then fence it): systemd's default stop timeout is 90 s.
 */
const LEAVE_TIMEOUT_MS = 80_000;

export interface DaemonIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input to its end (`ricci password`); the process's own when absent. */
  stdin?(): Promise<string>;
}

/** A running agent; `stop()` is what SIGTERM does, `reloadConfig()` what SIGHUP does. */
export interface RunningDaemon {
  readonly port: number;
  readonly host: NodeHost;
  /** The control socket's path, null when the agent serves none. */
  readonly controlSocket: string | null;
  reloadConfig(): void;
  stop(): Promise<void>;
}

/**
 * `ricci`: parses its options, takes the state directory, and runs the node until SIGTERM.
 * Resolves with the exit status once it has stopped.
 */
export async function runRicci(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  io: DaemonIo,
): Promise<number> {
  if (args[0] === 'password') {
    return runPasswordCommand(args.slice(1), env, { stdin: readStdin, ...io });
  }
  let options: DaemonOptions;
  try {
    const command = parseDaemonArgs(args, env, hostname());
    if (command.kind === 'version') {
      io.stdout(`ricci ${RICCI_VERSION}\n`);
      return 0;
    }
    if (command.kind === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    options = command.options;
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    io.stderr(`ricci: ${error.message}\n${USAGE}`);
    return 2;
  }
  const log = jsonLog(options.nodeName, options.logLevel, io.stdout);
  // A failed write or fsync of the log must stop the node, with a line that says why.
  process.once('uncaughtException', (error) => {
    log('error', 'fatal', { detail: error.message });
    process.exit(1);
  });
  let daemon: RunningDaemon;
  let leaveRequested = () => {};
  const leaveAsked = new Promise<string>((resolve) => {
    leaveRequested = () => resolve('cman_tool leave');
  });
  try {
    // A kill from a peer (cman_tool kill -n) ends the process at once: no leave, no stops.
    const killed = () => process.exit(KILLED_EXIT_STATUS);
    daemon = await startDaemon(options, log, leaveRequested, killed);
  } catch (error) {
    if (error instanceof CorruptStateError || error instanceof StateDirLockedError) {
      log('error', error instanceof CorruptStateError ? 'state-corrupt' : 'state-dir-locked', {
        detail: error.message,
      });
      return 1;
    }
    log('error', 'start-failed', { detail: (error as Error).message });
    return 1;
  }
  const reload = () => daemon.reloadConfig();
  process.on('SIGHUP', reload);
  const signal = await Promise.race([
    leaveAsked,
    new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    }),
  ]);
  process.off('SIGHUP', reload);
  log('info', 'leaving', { signal });
  await daemon.stop();
  log('info', 'stopped', {});
  return 0;
}

/** Starts an agent from parsed options (the test-host tests start it through `bin/ricci`). */
/**
 * `onLeaveRequested`: `cman_tool leave` on the control socket asks the agent to stop.
 * `onKilled`: a member's `cman_tool kill -n` named this node, silent from then on (`killed`
 * logged); `ricci` exits the process, a test stops the agent as after a crash.
 */
export async function startDaemon(
  options: DaemonOptions,
  log: JsonLog,
  onLeaveRequested: () => void = () => {},
  onKilled: (from: string) => void = () => {},
): Promise<RunningDaemon> {
  ensurePrivateDir(options.stateDir);
  const lock = lockStateDir(options.stateDir);
  let storage: DurableLog | null = null;
  try {
    if (options.rejoin) {
      const keep = [LOCK_FILE, basename(tlsDirIn('.')), CONSOLE_DIR];
      const wipe = wipeForRejoin(options.stateDir, keep);
      log('warn', 'rejoin-wiped', {
        removed: wipe.removed,
        term: wipe.kept?.term ?? 0,
        incarnation: wipe.kept?.incarnation ?? 0,
      });
    }
    storage = DurableLog.open(options.stateDir);
    if (storage.truncatedTailBytes > 0) {
      log('warn', 'log-tail-truncated', { bytes: storage.truncatedTailBytes, file: storage.path });
    }
    const opened = storage;
    const agent = { node: options.nodeName, version: RICCI_VERSION };
    return await startWithMetrics(options.metricsListen, agent, log, (nodeLog) =>
      startNode(options, nodeLog, opened, lock, onLeaveRequested, onKilled),
    );
  } catch (error) {
    storage?.close();
    lock.release();
    throw error;
  }
}

async function startNode(
  options: DaemonOptions,
  daemonLog: JsonLog,
  storage: DurableLog,
  lock: StateDirLock,
  onLeaveRequested: () => void,
  onKilled: (from: string) => void,
): Promise<RunningDaemon> {
  // The console's `logs` request reads the newest lines from here.
  const logRing = new LogRing();
  const log = logRing.tee(daemonLog);
  const view = clusterView(options.nodeName, options.configDir, options.port, options.peers);
  const voters = new Set(view.config.voters.map((voter) => voter.id));
  if (!voters.has(options.nodeName)) {
    throw new Error(`${view.source}: node ${options.nodeName} is not one of the cluster's nodes`);
  }
  const restored = storage.restored();
  const nodeOptions = {
    id: options.nodeName,
    config: view.config,
    tickMs: options.tickMs,
    random: { nextInt: (bound: number) => randomInt(bound) },
    ...(restored ? { restored } : {}),
  };
  // With a cluster.conf the node runs the resource manager; from a peer list, consensus only
  // until the first file is committed, when the host starts the resource manager.
  const makeController = (clusterConf: string, state: RestoredState) =>
    new ServiceController({ ...nodeOptions, restored: state, clusterConf });
  const node =
    view.clusterConf !== null
      ? new ServiceController({ ...nodeOptions, clusterConf: view.clusterConf })
      : new ClusterNode(nodeOptions);
  let host: NodeHost | null = null;
  const clock = new TickClock(options.tickMs, (count, missed) => host?.tick(count, missed));
  const tls = readNodeTls(tlsDirIn(options.stateDir), options.nodeName);
  let control: DaemonControl | null = null;
  let listenPort = options.port;
  // Trusted consoles are replicated state: changes go through the core like a clusvcadm request.
  const clusterTrust = new ClusterConsoleTrust({
    state: () => host?.serviceController()?.state() ?? null,
    submit: (trustInput) => {
      const running = host;
      if (running === null) return false;
      input(() => running.receive(trustInput));
      return true;
    },
  });
  const consoleApi = new ConsoleApi({
    nodeName: options.nodeName,
    agentVersion: RICCI_VERSION,
    stateDir: options.stateDir,
    provider: providerOf(() => control),
    nodes: () => agentAddresses(options, currentView(options, view), listenPort),
    agentCertPem: tls.certPem,
    discoverAgents: async () => {
      // One after the other: both are background work on a node that must keep its token.
      const cache = new MetadataCache(join(options.stateDir, METADATA_CACHE_FILE));
      const resource = await discoverAgents(new ResourceAgentRunner(), { cache });
      const fence = await discoverFenceAgents(new FenceAgentRunner(), { cache });
      cache.save();
      return {
        resourceAgents: resource.agents,
        fenceAgents: fence.agents,
        failures: [...resource.failures, ...fence.failures],
      };
    },
    hostname: hostname(),
    logs: logRing,
    log: (level, event, fields) => log(level, event, fields),
    tickMs: options.tickMs,
    clusterTrust,
  });
  const killed = (from: string) =>
    obeyKill(from, {
      log,
      silence: () => {
        host?.stop();
        clock.stop();
      },
      exit: onKilled,
    });
  const transport = peerTransport(options, view, tls, consoleApi, log, clock, () => host, killed);
  /**
   * Every input other than a peer message goes through here: the ticks the clock let pass
   * come first, and since the input may end a quiet spell, the clock wakes tick by tick again.
   */
  const input = (step: () => void) => {
    clock.catchUp();
    step();
    clock.sleepUntil(0);
  };
  const executor = new AgentOperationExecutor({
    onInput: (result) => input(() => host?.receive(result)),
    log,
    node: options.nodeName,
  });
  host = new NodeHost({
    node,
    storage,
    sink: transport,
    log,
    writeConfig: (text) => writeClusterConf(options.configDir, text),
    snapshotEntries: options.snapshotEntries,
    tickMs: options.tickMs,
    tokenMs: view.config.tokenMs,
    executor,
    onControllerEvent: (event) => {
      control?.controllerEvent(event);
      consoleApi.coreEvent(event);
    },
    onObserverEvent: (event) => consoleApi.coreEvent(event),
    clusterConf: view.clusterConf,
    makeController,
    // The config directory now holds the committed file: its nodes are the peers to reach.
    onConfigChanged: () =>
      transport.configChanged(
        clusterView(options.nodeName, options.configDir, options.port, options.peers).peers,
      ),
  });
  const running = host;
  control = new DaemonControl({
    nodeName: options.nodeName,
    agentVersion: RICCI_VERSION,
    host: running,
    input,
    acknowledgeManualFence: (victim) => executor.acknowledgeManualFence(victim),
    leave: onLeaveRequested,
    kill: (node) =>
      requestKill(node, {
        nodeName: options.nodeName,
        log,
        status: () => running.status(),
        sendKill: (peer) => transport.kill(peer),
        killSelf: () => killed(options.nodeName),
      }),
  });
  // The new incarnation is durable before any peer can hear of it.
  host.drain();
  const port = await transport.start();
  listenPort = port;
  let controlServer: ControlServer | null;
  try {
    controlServer = await serveControl(options, control, log);
  } catch (error) {
    running.stop();
    await executor.close();
    consoleApi.close();
    await transport.close();
    throw error;
  }
  clock.start();
  log('info', 'started', {
    version: RICCI_VERSION,
    port,
    source: view.source,
    voters: [...voters],
    restoredTerm: restored?.hardState.term ?? 0,
    incarnation: running.status().incarnation,
    resourceManager: view.clusterConf !== null,
    controlSocket: controlServer?.path ?? null,
  });
  return {
    port,
    host: running,
    controlSocket: controlServer?.path ?? null,
    reloadConfig: () => input(() => reloadConfig(options.configDir, running, log)),
    stop: async () => {
      await controlServer?.close();
      consoleApi.close();
      // Services stop before the goodbye; the clock, the agents and the links keep running.
      const left = await running.leaveCleanly(LEAVE_TIMEOUT_MS);
      if (!left) log('error', 'leave-timed-out', { timeoutMs: LEAVE_TIMEOUT_MS });
      input(() => running.leave());
      // No agent result may reach the controller after it left.
      await executor.close();
      clock.stop();
      await transport.close(left ? LEAVE_FLUSH_MS : 0);
      storage.close();
      lock.release();
    },
  };
}

/** The control socket, when the options name one. */
async function serveControl(
  options: DaemonOptions,
  provider: DaemonControl,
  log: JsonLog,
): Promise<ControlServer | null> {
  if (options.controlSocket === undefined) return null;
  return serveControlSocket({
    path: options.controlSocket,
    provider,
    log: (level, event, fields) => log(level, event, fields),
  });
}

/** The peer transport, handing each message to the host after the ticks due before it. */
function peerTransport(
  options: DaemonOptions,
  view: ClusterView,
  tls: NodeTlsMaterial,
  consoleApi: ConsoleApi,
  log: JsonLog,
  clock: TickClock,
  host: () => NodeHost | null,
  onKill: (from: string) => void,
): PeerTransport {
  const startupVoters = new Set(view.config.voters.map((voter) => voter.id));
  return new PeerTransport({
    self: options.nodeName,
    listenHost: options.listenHost,
    listenPort: options.port,
    tls,
    peers: view.peers,
    console: consoleApi,
    // The configuration in force decides once there is one (a deleted node is refused; one
    // with votes="0" is still a member).
    isMember: (name) => host()?.status().listed.includes(name) ?? startupVoters.has(name),
    onMessage: (message) => {
      const running = host();
      if (!running) return;
      // Ticks the clock let pass unattended come first, so the core sees time in order.
      clock.catchUp();
      running.receive(message);
      clock.sleepUntil(running.quietUntilTick(message));
    },
    onKill,
    log: (level, event, fields) => log(level, event, fields),
  });
}

/**
 * SIGHUP: proposes the config directory's cluster.conf when its config_version is newer than
 * the one this node applied, as `cman_tool version -r` did after an edit. Only the leader can
 * propose; the others log the refusal, which names the leader.
 */
function reloadConfig(configDir: string, host: NodeHost, log: JsonLog): void {
  const path = join(configDir, CLUSTER_CONF_FILE);
  let text: string;
  let version: number;
  try {
    text = readFileSync(path, 'utf8');
    version = parseClusterConf(text).configVersion ?? 0;
  } catch (error) {
    log('warn', 'config-reload-refused', { path, detail: (error as Error).message });
    return;
  }
  const applied = host.status().configVersion;
  if (version <= applied) {
    log('info', 'config-reload-unchanged', { path, version, applied });
    return;
  }
  const result = host.proposeConfig(text);
  if (result.accepted) {
    log('info', 'config-proposed', { path, version, index: result.index });
  } else {
    log('warn', 'config-reload-refused', {
      path,
      version,
      rule: result.rule,
      detail: result.message,
    });
  }
}

/** The control socket's provider, for the console API built before it. */
function providerOf(control: () => DaemonControl | null): ControlProvider {
  const running = () => {
    const provider = control();
    if (provider === null) throw new Error('the agent is still starting');
    return provider;
  };
  return {
    status: () => running().status(),
    clusterConf: () => running().clusterConf(),
    request: (action) => running().request(action),
  };
}

/** The config directory's nodes now (it holds the committed file), else those at start. */
function currentView(options: DaemonOptions, atStart: ClusterView): ClusterView {
  try {
    return clusterView(options.nodeName, options.configDir, options.port, options.peers);
  } catch {
    return atStart;
  }
}

/** Where each node's agent listens: this one's own port, each peer's first address. */
function agentAddresses(
  options: DaemonOptions,
  view: ClusterView,
  listenPort: number,
): AgentAddress[] {
  const wildcard = ['0.0.0.0', '::', ''].includes(options.listenHost);
  const self = {
    name: options.nodeName,
    address: wildcard ? options.nodeName : options.listenHost,
    port: listenPort,
  };
  const peers = view.peers.flatMap((peer) => {
    const first = peer.addresses[0];
    const parsed = first === undefined ? null : hostAndPort(first);
    return parsed === null ? [] : [{ name: peer.name, ...parsed }];
  });
  return [self, ...peers];
}

/** `host:port`, `[v6]:port`; null when it is neither. */
function hostAndPort(text: string): { address: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  const address = match?.[1] ?? match?.[2];
  return address === undefined || !(port >= 1 && port <= 65535) ? null : { address, port };
}
