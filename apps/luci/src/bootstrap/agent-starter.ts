// How the installed agent is started and, on undo, stopped and forgotten on a node: by systemd
// (the bundle's unit) on real machines, or as a detached process with a pid file where no
// systemd runs (test hosts, containers). Each is shell text run as root over SSH.
import { type AgentLayout, shellQuote } from './host-check.js';

export interface AgentStartContext {
  readonly nodeName: string;
  readonly layout: AgentLayout;
  /** ricci's options beyond the directories: `--node NAME --peer NAME=HOST:PORT …`. */
  readonly ricciArgs: readonly string[];
}

export interface AgentStarter {
  readonly kind: string;
  /** The host must run systemd (checked before anything is installed). */
  readonly needsSystemd: boolean;
  /** install.sh's options about the unit. */
  installArgs(layout: AgentLayout): string[];
  /** Starts the agent and returns at once. */
  startScript(context: AgentStartContext): string;
  /** Exits 0 while the agent runs (or is still being started). */
  runningScript(context: AgentStartContext): string;
  /** The agent's last words, for an error message. */
  diagnosticsScript(context: AgentStartContext): string;
  /** Stops the agent and removes what `startScript` and the unit left; succeeds if none ran. */
  stopScript(context: AgentStartContext): string;
  /** Environment the bundled commands (clustat) need on the node. */
  cliEnv(layout: AgentLayout): Readonly<Record<string, string>>;
}

const UNIT = 'quorate-ricci';
const UNIT_FILE = `/etc/systemd/system/${UNIT}.service`;
const DEFAULTS_FILE = `/etc/default/${UNIT}`;

/** The bundle's unit; options go to /etc/default/quorate-ricci as RICCI_OPTS. */
export const systemdStarter: AgentStarter = {
  kind: 'systemd',
  needsSystemd: true,
  installArgs: () => ['--unit-dir', '/etc/systemd/system'],
  startScript: ({ ricciArgs }) =>
    [
      'set -e',
      // Node names and addresses are checked words (no spaces, quotes or $).
      `printf 'RICCI_OPTS="%s"\\n' ${shellQuote(ricciArgs.join(' '))} > ${DEFAULTS_FILE}`,
      'systemctl daemon-reload',
      `systemctl enable --now ${UNIT}`,
    ].join('\n'),
  runningScript: () => `! systemctl is-failed --quiet ${UNIT}`,
  diagnosticsScript: () => `journalctl -u ${UNIT} -n 20 --no-pager 2>&1 | tail -n 20`,
  stopScript: () =>
    [
      `systemctl disable --now ${UNIT} >/dev/null 2>&1 || true`,
      `rm -f ${UNIT_FILE} ${DEFAULTS_FILE}`,
      'systemctl daemon-reload || true',
    ].join('\n'),
  cliEnv: () => ({}),
};

/**
 * A detached agent (`setsid`, output to STATE_DIR/ricci.log, pid in STATE_DIR/ricci.pid) with
 * its control socket in the state directory: test hosts share the machine's /run.
 */
export const detachedStarter: AgentStarter = {
  kind: 'detached',
  needsSystemd: false,
  installArgs: () => ['--no-unit'],
  startScript: ({ layout, ricciArgs }) => {
    const state = layout.stateDir;
    const args = [
      ...ricciArgs,
      '--state-dir',
      state,
      '--config-dir',
      layout.configDir,
      '--control-socket',
      `${state}/ricci.sock`,
    ];
    return [
      'cd /',
      `setsid ${shellQuote(`${layout.prefix}/bin/ricci`)} ${args.map(shellQuote).join(' ')} \\`,
      `  </dev/null >>${shellQuote(`${state}/ricci.log`)} 2>&1 &`,
      `echo $! >${shellQuote(`${state}/ricci.pid`)}`,
    ].join('\n');
  },
  runningScript: ({ layout }) => `kill -0 "$(cat ${shellQuote(`${layout.stateDir}/ricci.pid`)})"`,
  diagnosticsScript: ({ layout }) => `tail -n 20 ${shellQuote(`${layout.stateDir}/ricci.log`)}`,
  stopScript: ({ layout }) => {
    const pidFile = shellQuote(`${layout.stateDir}/ricci.pid`);
    return [
      `[ -f ${pidFile} ] || exit 0`,
      `pid=$(cat ${pidFile})`,
      'kill "$pid" 2>/dev/null || exit 0',
      // SIGTERM makes the agent leave cleanly within about a second; then it is killed.
      'i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done',
      'kill -9 "$pid" 2>/dev/null || true',
    ].join('\n');
  },
  cliEnv: (layout) => ({ QUORATE_SOCKET: `${layout.stateDir}/ricci.sock` }),
};
