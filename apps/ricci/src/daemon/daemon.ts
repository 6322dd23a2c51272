import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { ClusterNode, parseClusterConf, ServiceController } from '@quorate/core';
import { type ControlServer, serveControlSocket } from '../control/control-server.js';
import { AgentOperationExecutor } from '../executor/agent-operation-executor.js';
import { CLUSTER_CONF_FILE, writeClusterConf } from '../storage/cluster-conf-file.js';
import { DurableLog } from '../storage/durable-log.js';
import { wipeForRejoin } from '../storage/rejoin.js';
import {
  ensurePrivateDir,
  LOCK_FILE,
  lockStateDir,
  type StateDirLock,
} from '../storage/state-dir.js';
import { CorruptStateError, StateDirLockedError } from '../storage/storage-errors.js';
import { readNodeTls, tlsDirIn } from '../tls/tls-files.js';
import { PeerTransport } from '../transport/peer-transport.js';
import { DaemonControl } from './daemon-control.js';
import { type DaemonOptions, OptionsError, parseDaemonArgs, USAGE } from './daemon-options.js';
import { type JsonLog, jsonLog } from './json-log.js';
import { NodeHost } from './node-host.js';
import { TickClock } from './tick-clock.js';
import { type ClusterView, clusterView } from './voting-config.js';

export const RICCI_VERSION = '0.1.0';
/** How long SIGTERM waits for the leave notices to reach the peers before it closes the links. */
const LEAVE_FLUSH_MS = 1000;

export interface DaemonIo {
  stdout(text: string): void;
  stderr(text: string): void;
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
    daemon = await startDaemon(options, log, leaveRequested);
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
/** `onLeaveRequested`: `cman_tool leave` on the control socket asks the agent to stop. */
export async function startDaemon(
  options: DaemonOptions,
  log: JsonLog,
  onLeaveRequested: () => void = () => {},
): Promise<RunningDaemon> {
  ensurePrivateDir(options.stateDir);
  const lock = lockStateDir(options.stateDir);
  let storage: DurableLog | null = null;
  try {
    if (options.rejoin) {
      const wipe = wipeForRejoin(options.stateDir, [LOCK_FILE, basename(tlsDirIn('.'))]);
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
    return await startNode(options, log, storage, lock, onLeaveRequested);
  } catch (error) {
    storage?.close();
    lock.release();
    throw error;
  }
}

async function startNode(
  options: DaemonOptions,
  log: JsonLog,
  storage: DurableLog,
  lock: StateDirLock,
  onLeaveRequested: () => void,
): Promise<RunningDaemon> {
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
  // With a cluster.conf the node runs the resource manager; from a peer list, consensus only.
  const node =
    view.clusterConf !== null
      ? new ServiceController({ ...nodeOptions, clusterConf: view.clusterConf })
      : new ClusterNode(nodeOptions);
  let host: NodeHost | null = null;
  const clock = new TickClock(options.tickMs, (count, missed) => host?.tick(count, missed));
  const transport = peerTransport(options, view, log, clock, () => host);
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
  let control: DaemonControl | null = null;
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
    onControllerEvent: (event) => control?.controllerEvent(event),
    clusterConf: view.clusterConf,
  });
  const running = host;
  control = new DaemonControl({
    nodeName: options.nodeName,
    agentVersion: RICCI_VERSION,
    host: running,
    input,
    acknowledgeManualFence: (victim) => executor.acknowledgeManualFence(victim),
    leave: onLeaveRequested,
  });
  // The new incarnation is durable before any peer can hear of it.
  host.drain();
  const port = await transport.start();
  let controlServer: ControlServer | null;
  try {
    controlServer = await serveControl(options, control, log);
  } catch (error) {
    running.stop();
    await executor.close();
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
      // No agent result may reach the controller after it left.
      await executor.close();
      input(() => running.leave());
      clock.stop();
      await transport.close(LEAVE_FLUSH_MS);
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
  log: JsonLog,
  clock: TickClock,
  host: () => NodeHost | null,
): PeerTransport {
  const startupVoters = new Set(view.config.voters.map((voter) => voter.id));
  return new PeerTransport({
    self: options.nodeName,
    listenHost: options.listenHost,
    listenPort: options.port,
    tls: readNodeTls(tlsDirIn(options.stateDir), options.nodeName),
    peers: view.peers,
    // The committed configuration decides once there is one (a deleted node is refused).
    isMember: (name) => host()?.status().voters.includes(name) ?? startupVoters.has(name),
    onMessage: (message) => {
      const running = host();
      if (!running) return;
      // Ticks the clock let pass unattended come first, so the core sees time in order.
      clock.catchUp();
      running.receive(message);
      clock.sleepUntil(running.quietUntilTick(message));
    },
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
