import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { controlSocketPath } from '@quorate/protocol';
import { parseListenAddress } from '../metrics/metrics-server.js';
import { stateDirFrom } from '../storage/state-dir.js';
import type { LogLevel, PeerAddress } from '../transport/transport-types.js';
import { isLogLevel } from './json-log.js';

export const DEFAULT_PORT = 11111;
export const DEFAULT_CONFIG_DIR = '/etc/cluster';
export const DEFAULT_TICK_MS = 50;
export const DEFAULT_SNAPSHOT_ENTRIES = 1000;

/** Everything the agent is started with (`ricci --help` lists the options). */
export interface DaemonOptions {
  readonly nodeName: string;
  readonly listenHost: string;
  readonly port: number;
  /** Explicit peer addresses; a peer left out is reached at `name:port` and its altnames. */
  readonly peers: readonly PeerAddress[];
  readonly stateDir: string;
  readonly configDir: string;
  readonly logLevel: LogLevel;
  readonly tickMs: number;
  /** Compact the log into a snapshot once this many applied entries follow the last one. */
  readonly snapshotEntries: number;
  /** Wipe the node's consensus state (never its TLS material) and catch up from the cluster. */
  readonly rejoin: boolean;
  /**
   * Where the control socket (clustat, clusvcadm, cman_tool, fence_ack_manual) listens:
   * `$QUORATE_SOCKET`, else /run/quorate/ricci.sock. Absent: no control socket (in-process tests).
   */
  readonly controlSocket?: string;
  /** `HOST:PORT` where `/metrics` is served over plain HTTP; absent: not served. */
  readonly metricsListen?: string;
}

export const USAGE = `usage: ricci --node NAME [options]
  --node NAME             this node's name as cluster.conf spells it (default: the host name)
  --listen HOST           address to listen on for peers (default 0.0.0.0)
  --port N                peer port (default ${DEFAULT_PORT})
  --peer NAME=ADDR[,ADDR] a peer's host:port, then its altname's; repeatable
  --state-dir DIR         state directory (default $QUORATE_STATE_DIR, else /var/lib/quorate)
  --config-dir DIR        cluster.conf directory (default $QUORATE_CONFIG_DIR, else ${DEFAULT_CONFIG_DIR})
  --log-level LEVEL       debug, info, warn or error (default info)
  --tick-ms N             consensus tick length in milliseconds (default ${DEFAULT_TICK_MS})
  --snapshot-entries N    compact the log after N applied entries (default ${DEFAULT_SNAPSHOT_ENTRIES})
  --rejoin                wipe this node's consensus state (not its TLS material) and catch
                          up from the cluster; only while the others are quorate without it
  --control-socket PATH   the control socket for the command line (default $QUORATE_SOCKET,
                          else /run/quorate/ricci.sock)
  --metrics-listen H:P    serve Prometheus /metrics over HTTP there (default: not served)
  --config FILE           a JSON file with any of: nodeName, listenHost, port, peers
                          ([{name, addresses}]), stateDir, configDir, logLevel, tickMs,
                          snapshotEntries; options on the command line win
SIGTERM leaves the cluster cleanly; SIGHUP proposes the config directory's cluster.conf when
its config_version is newer than the committed one (on the leader, as cman_tool version -r).
  --version               print the version and exit
ricci password [--state-dir DIR] < FILE sets the agent password that consoles send once
`;

/** A wrong option or config file; `message` names the option or field and the rule. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

export type ParsedCommand =
  | { readonly kind: 'run'; readonly options: DaemonOptions }
  | { readonly kind: 'version' }
  | { readonly kind: 'help' };

export function parseDaemonArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  hostName: string,
): ParsedCommand {
  const { values } = parseCliArgs(args);
  if (values.version) return { kind: 'version' };
  if (values.help) return { kind: 'help' };
  const file = values.config === undefined ? {} : readConfigFile(values.config);
  const port = integer('--port', values.port) ?? integer('port', file.port) ?? DEFAULT_PORT;
  const logLevel = values['log-level'] ?? stringField(file, 'logLevel') ?? 'info';
  if (!isLogLevel(logLevel))
    throw new OptionsError(`--log-level: ${logLevel} is not one of debug, info, warn, error`);
  const options: DaemonOptions = {
    nodeName: values.node ?? stringField(file, 'nodeName') ?? hostName,
    listenHost: values.listen ?? stringField(file, 'listenHost') ?? '0.0.0.0',
    port,
    peers: values.peer ? values.peer.map(parsePeer) : filePeers(file.peers),
    stateDir: values['state-dir'] ?? stringField(file, 'stateDir') ?? stateDirFrom(env),
    configDir:
      values['config-dir'] ??
      stringField(file, 'configDir') ??
      (env.QUORATE_CONFIG_DIR || DEFAULT_CONFIG_DIR),
    logLevel,
    tickMs:
      integer('--tick-ms', values['tick-ms']) ?? integer('tickMs', file.tickMs) ?? DEFAULT_TICK_MS,
    snapshotEntries:
      integer('--snapshot-entries', values['snapshot-entries']) ??
      integer('snapshotEntries', file.snapshotEntries) ??
      DEFAULT_SNAPSHOT_ENTRIES,
    rejoin: values.rejoin ?? false,
    controlSocket: values['control-socket'] ?? controlSocketPath(env),
    metricsListen: metricsListenOf(values['metrics-listen'] ?? stringField(file, 'metricsListen')),
  };
  if (options.port < 1 || options.port > 65535)
    throw new OptionsError(`--port: ${port} is not a TCP port`);
  if (options.tickMs < 1) throw new OptionsError(`--tick-ms: ${options.tickMs} must be at least 1`);
  if (options.snapshotEntries < 1)
    throw new OptionsError(`--snapshot-entries: ${options.snapshotEntries} must be at least 1`);
  return { kind: 'run', options };
}

function parseCliArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        node: { type: 'string' },
        listen: { type: 'string' },
        port: { type: 'string' },
        peer: { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        'config-dir': { type: 'string' },
        'log-level': { type: 'string' },
        'tick-ms': { type: 'string' },
        'snapshot-entries': { type: 'string' },
        rejoin: { type: 'boolean' },
        'control-socket': { type: 'string' },
        'metrics-listen': { type: 'string' },
        config: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new OptionsError(`--config ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OptionsError(`--config ${path}: must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function stringField(file: Record<string, unknown>, field: string): string | undefined {
  const value = file[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OptionsError(`config file /${field}: must be a string`);
  return value;
}

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw new OptionsError(`${name}: ${String(value)} is not a whole number`);
  }
  return number;
}

/** `NAME=HOST:PORT[,HOST:PORT]`: the addresses in the order they are tried. */
function parsePeer(text: string): PeerAddress {
  const match = /^([^=\s]+)=(\S+)$/.exec(text);
  const addresses = match?.[2]?.split(',') ?? [];
  if (
    !match?.[1] ||
    addresses.length === 0 ||
    addresses.some((a) => !/^[^\s:]+:\d+$|^\[[^\]]+\]:\d+$/.test(a))
  ) {
    throw new OptionsError(`--peer: "${text}" is not NAME=HOST:PORT[,HOST:PORT]`);
  }
  return { name: match[1], addresses };
}

function filePeers(value: unknown): PeerAddress[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OptionsError('config file /peers: must be an array');
  return value.map((peer: unknown, index) => {
    const { name, addresses } = (peer ?? {}) as Record<string, unknown>;
    const valid =
      typeof name === 'string' &&
      Array.isArray(addresses) &&
      addresses.length > 0 &&
      addresses.every((a) => typeof a === 'string');
    if (!valid)
      throw new OptionsError(`config file /peers/${index}: needs a name and a list of addresses`);
    return { name, addresses: addresses as string[] };
  });
}

/** --metrics-listen, checked when given. */
function metricsListenOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseListenAddress(value);
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  return value;
}
