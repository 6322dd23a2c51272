// How `cman_tool join` starts an agent that is not running: through systemd when systemd runs
// and the quorate-ricci unit is installed, else the ricci daemon detached (its own session,
// output to a log file in its state folder) with the options the unit would have given it.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../command-io.js';

export const RICCI_UNIT = 'quorate-ricci';
export const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
/** The unit's EnvironmentFile, where the console's bootstrap writes RICCI_OPTS. */
export const RICCI_DEFAULTS_FILE = '/etc/default/quorate-ricci';
/** A `ricci --config FILE` file, used when no RICCI_OPTS are found. */
export const RICCI_CONFIG_FILE = '/etc/quorate/ricci.json';
export const AGENT_LOG_FILE = 'ricci.log';
const DEFAULT_STATE_DIR = '/var/lib/quorate';

/** The machine as `join` sees it; tests give a fake one. */
export interface AgentStartHost {
  readonly env: Env;
  /** The ricci launcher to spawn (bin/ricci next to bin/cman_tool). */
  readonly ricciPath: string;
  readFile(path: string): string | null;
  exists(path: string): boolean;
  /** PID 1's command name (/proc/1/comm), or null when it cannot be read. */
  initName(): string | null;
  /** Runs a command to completion: `systemctl start`. */
  run(command: string, args: readonly string[]): { status: number | null; stderr: string };
  /** Starts `args` (ricci and its options) in a new session, output appended to `logPath`. */
  spawnDetached(args: readonly string[], logPath: string): number;
}

export type AgentStartPlan =
  | { readonly kind: 'systemd' }
  | {
      readonly kind: 'spawn';
      readonly args: readonly string[];
      /** Where the options came from, for the message. */
      readonly source: string;
      readonly logPath: string;
    }
  | { readonly kind: 'refuse'; readonly message: string };

/** Decides how to start the agent; reads files but starts nothing. */
export function planAgentStart(host: AgentStartHost): AgentStartPlan {
  const init = host.initName();
  const unit = UNIT_DIRS.some((dir) => host.exists(join(dir, `${RICCI_UNIT}.service`)));
  if (init === 'systemd' && unit) return { kind: 'systemd' };
  const found = agentOptions(host);
  if (found === null) {
    const why =
      init === 'systemd'
        ? `systemd runs but the ${RICCI_UNIT} unit is not installed`
        : `systemd is not running (PID 1 is ${init ?? 'unknown'})`;
    return {
      kind: 'refuse',
      message:
        `cannot start the agent: ${why}, and no agent options were found: ` +
        `set $RICCI_OPTS, put RICCI_OPTS="--node NAME ..." in ${RICCI_DEFAULTS_FILE}, ` +
        `or write ${RICCI_CONFIG_FILE} (see ricci --config)`,
    };
  }
  const logPath = join(stateDirOf(found.args, host), AGENT_LOG_FILE);
  return { kind: 'spawn', ...found, logPath };
}

/** Starts the agent as planned; returns how, or throws with what went wrong. */
export function startAgent(host: AgentStartHost, plan: AgentStartPlan): string {
  switch (plan.kind) {
    case 'refuse':
      throw new Error(plan.message);
    case 'systemd': {
      const result = host.run('systemctl', ['start', RICCI_UNIT]);
      if (result.status !== 0) {
        throw new Error(`systemctl start ${RICCI_UNIT} failed: ${result.stderr.trim()}`);
      }
      return `started ${RICCI_UNIT} with systemctl`;
    }
    case 'spawn': {
      const pid = host.spawnDetached([host.ricciPath, ...plan.args], plan.logPath);
      return `started ricci (pid ${pid}) with the options of ${plan.source}; its output goes to ${plan.logPath}`;
    }
  }
}

/** $RICCI_OPTS, else the unit's defaults file, else the JSON config file. */
function agentOptions(host: AgentStartHost): { args: string[]; source: string } | null {
  const fromEnv = host.env.RICCI_OPTS?.trim();
  if (fromEnv) return { args: splitOptions(fromEnv), source: '$RICCI_OPTS' };
  const defaults = host.readFile(RICCI_DEFAULTS_FILE);
  const line = defaults === null ? undefined : /^\s*RICCI_OPTS=(.*)$/m.exec(defaults)?.[1];
  const fromFile = line === undefined ? [] : splitOptions(line);
  if (fromFile.length > 0) {
    // The file's value is one shell word: RICCI_OPTS="--node n1 --peer ...".
    const words = fromFile.length === 1 ? splitOptions(fromFile[0] ?? '') : fromFile;
    return { args: words, source: RICCI_DEFAULTS_FILE };
  }
  if (host.exists(RICCI_CONFIG_FILE)) {
    return { args: ['--config', RICCI_CONFIG_FILE], source: RICCI_CONFIG_FILE };
  }
  return null;
}

/** The state folder the agent will use: its --state-dir, its config file's, the environment's. */
function stateDirOf(args: readonly string[], host: AgentStartHost): string {
  const flag = args.indexOf('--state-dir');
  if (flag >= 0 && args[flag + 1] !== undefined) return args[flag + 1] as string;
  const config = args.indexOf('--config');
  const configPath = config >= 0 ? args[config + 1] : undefined;
  const text = configPath === undefined ? null : host.readFile(configPath);
  if (text !== null) {
    try {
      const stateDir = (JSON.parse(text) as { stateDir?: unknown }).stateDir;
      if (typeof stateDir === 'string' && stateDir !== '') return stateDir;
    } catch {
      // ricci itself reports a bad config file, naming the field.
    }
  }
  return host.env.QUORATE_STATE_DIR || DEFAULT_STATE_DIR;
}

/** Shell-like words: whitespace separates, single and double quotes group. */
export function splitOptions(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return words;
}

/** The real machine: files, /proc/1/comm, systemctl, and a detached ricci. */
export function systemStartHost(env: Env, launcherPath: string): AgentStartHost {
  return {
    env,
    ricciPath: env.QUORATE_RICCI || join(dirname(launcherPath), 'ricci'),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    exists: (path) => existsSync(path),
    initName: () => {
      try {
        return readFileSync('/proc/1/comm', 'utf8').trim();
      } catch {
        return null;
      }
    },
    run: (command, args) => {
      const result = spawnSync(command, [...args], { encoding: 'utf8' });
      return { status: result.status, stderr: result.stderr ?? String(result.error ?? '') };
    },
    spawnDetached: (args, logPath) => {
      mkdirSync(dirname(logPath), { recursive: true, mode: 0o700 });
      const out = openSync(logPath, 'a', 0o600);
      try {
        const child = spawn(process.execPath, [...args], {
          detached: true,
          stdio: ['ignore', out, out],
          env: { ...env },
        });
        child.unref();
        return child.pid ?? -1;
      } finally {
        closeSync(out);
      }
    },
  };
}
