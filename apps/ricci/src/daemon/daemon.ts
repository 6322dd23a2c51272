import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import { ClusterNode } from '@quorate/core';
import { DurableLog } from '../storage/durable-log.js';
import { ensurePrivateDir, lockStateDir, type StateDirLock } from '../storage/state-dir.js';
import { CorruptStateError, StateDirLockedError } from '../storage/storage-errors.js';
import { readNodeTls, tlsDirIn } from '../tls/tls-files.js';
import { PeerTransport } from '../transport/peer-transport.js';
import { type DaemonOptions, OptionsError, parseDaemonArgs, USAGE } from './daemon-options.js';
import { type JsonLog, jsonLog } from './json-log.js';
import { NodeHost } from './node-host.js';
import { TickClock } from './tick-clock.js';
import { clusterView } from './voting-config.js';

export const RICCI_VERSION = '0.1.0';

export interface DaemonIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A running agent; `stop()` is what SIGTERM does. */
export interface RunningDaemon {
  readonly port: number;
  readonly host: NodeHost;
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
  try {
    daemon = await startDaemon(options, log);
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
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log('info', 'leaving', { signal });
  await daemon.stop();
  log('info', 'stopped', {});
  return 0;
}

/** Starts an agent from parsed options (the test-host tests start it through `bin/ricci`). */
export async function startDaemon(options: DaemonOptions, log: JsonLog): Promise<RunningDaemon> {
  ensurePrivateDir(options.stateDir);
  const lock = lockStateDir(options.stateDir);
  let storage: DurableLog | null = null;
  try {
    storage = DurableLog.open(options.stateDir);
    if (storage.truncatedTailBytes > 0) {
      log('warn', 'log-tail-truncated', { bytes: storage.truncatedTailBytes, file: storage.path });
    }
    return await startNode(options, log, storage, lock);
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
): Promise<RunningDaemon> {
  const view = clusterView(options.nodeName, options.configDir, options.port, options.peers);
  const voters = new Set(view.config.voters.map((voter) => voter.id));
  if (!voters.has(options.nodeName)) {
    throw new Error(`${view.source}: node ${options.nodeName} is not one of the cluster's nodes`);
  }
  const restored = storage.restored();
  const node = new ClusterNode({
    id: options.nodeName,
    config: view.config,
    tickMs: options.tickMs,
    random: { nextInt: (bound) => randomInt(bound) },
    ...(restored ? { restored } : {}),
  });
  let host: NodeHost | null = null;
  const transport = new PeerTransport({
    self: options.nodeName,
    listenHost: options.listenHost,
    listenPort: options.port,
    tls: readNodeTls(tlsDirIn(options.stateDir), options.nodeName),
    peers: view.peers,
    isMember: (name) => voters.has(name),
    onMessage: (message) => host?.receive(message),
    log: (level, event, fields) => log(level, event, fields),
  });
  host = new NodeHost(node, storage, transport, log);
  const clock = new TickClock(options.tickMs, (count) => host?.tick(count));
  // The new incarnation is durable before any peer can hear of it.
  host.drain();
  const port = await transport.start();
  clock.start();
  log('info', 'started', {
    version: RICCI_VERSION,
    port,
    source: view.source,
    voters: [...voters],
    restoredTerm: restored?.hardState.term ?? 0,
    incarnation: node.status().incarnation,
  });
  const running = host;
  return {
    port,
    host: running,
    stop: async () => {
      clock.stop();
      running.stop();
      await transport.close();
      storage.close();
      lock.release();
    },
  };
}
