// The bootstrap's work on one node, step by step, each announced as progress: connect and check,
// copy the bundle to a staging folder and verify it, install and configure, start, wait for
// quorum, and undo. Secrets (the agent password, the node's key) travel on stdin or over SFTP
// into files created with mode 0600; they are never in a command line or a progress event.
import { basename } from 'node:path';
import { type AgentBundle, loadDefaultAgentBundle } from './agent-bundle.js';
import { type AgentStartContext, type AgentStarter, systemdStarter } from './agent-starter.js';
import { type BootstrapNode, NAME_PATTERN, sshPortOf } from './bootstrap-plan.js';
import type { PemPair } from './cluster-ca.js';
import {
  AGENT_PORT,
  type AgentLayout,
  CHECK_SCRIPT,
  checkCommand,
  DEFAULT_LAYOUT,
  type HostFacts,
  type HostRefusalKind,
  judgeHost,
  parseHostFacts,
  shellQuote as q,
} from './host-check.js';
import { type RemoteResult, SshError, type SshFailureKind, SshSession } from './ssh-session.js';

export type BootstrapStep =
  | 'connect'
  | 'check'
  | 'copy'
  | 'install'
  | 'start'
  | 'quorum'
  | 'join'
  | 'undo'
  | 'cleanup';

export interface BootstrapProgress {
  /** The host as the plan names it (`host`, or `host:port` for a port other than 22). */
  readonly node: string;
  readonly step: BootstrapStep;
  readonly state: 'running' | 'done' | 'failed';
  readonly detail?: string;
}

export type BootstrapFailureKind =
  | SshFailureKind
  | HostRefusalKind
  | 'copy-failed'
  | 'checksum-mismatch'
  | 'install-failed'
  | 'start-failed'
  | 'not-quorate'
  | 'duplicate-name'
  | 'bad-plan'
  | 'internal';

export interface NodeFailure {
  readonly node: string;
  readonly step: BootstrapStep;
  readonly kind: BootstrapFailureKind;
  readonly message: string;
}

export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly kind: BootstrapFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface BootstrapDeps {
  /** Default: the repository's `pnpm bundle` output for this machine's architecture. */
  readonly bundle?: AgentBundle;
  /** Default: systemd. */
  readonly starter?: AgentStarter;
  readonly layout?: AgentLayout;
  readonly connectTimeoutMs?: number;
  readonly startTimeoutMs?: number;
  readonly quorumTimeoutMs?: number;
}

export type ResolvedDeps = Required<BootstrapDeps>;

export async function resolveDeps(deps: BootstrapDeps): Promise<ResolvedDeps> {
  const layout = deps.layout ?? DEFAULT_LAYOUT;
  for (const [field, path] of Object.entries(layout)) {
    if (!/^\/[A-Za-z0-9._-][A-Za-z0-9._/-]*$/.test(path) || path.includes('..')) {
      throw new Error(
        `layout.${field}: "${path}" must be an absolute path other than / (letters, digits, . _ - /)`,
      );
    }
  }
  return {
    bundle: deps.bundle ?? (await loadDefaultAgentBundle()),
    starter: deps.starter ?? systemdStarter,
    layout,
    connectTimeoutMs: deps.connectTimeoutMs ?? 10_000,
    startTimeoutMs: deps.startTimeoutMs ?? 30_000,
    quorumTimeoutMs: deps.quorumTimeoutMs ?? 60_000,
  };
}

export function toFailure(error: unknown, node: string, step: BootstrapStep): NodeFailure {
  const kind: BootstrapFailureKind =
    error instanceof StepFailure || error instanceof SshError ? error.kind : 'internal';
  return { node, step, kind, message: (error as Error).message };
}

export interface InstallMaterial {
  readonly ca: PemPair;
  readonly certificate: PemPair;
  readonly agentPassword: string;
  /** Absent when the node joins a running cluster: `writeClusterConf` follows the commit. */
  readonly clusterConf?: string;
}

/** A node's name and where its agent listens, for the other nodes' `--peer` options. */
export interface PeerAddress {
  readonly name: string;
  readonly host: string;
}

/** Shell: exits 0 once something listens on TCP port $1 (in this host's network namespace). */
const LISTENING = `listening() { hex=$(printf '%04X' "$1"); cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" {f = 1} END {exit !f}'; }`;
const POLL_MS = 200;

export class NodeRun {
  currentStep: BootstrapStep = 'connect';
  /** Something was written outside the staging folder: undo must remove it. */
  touched = false;
  readonly label: string;
  private session: SshSession | undefined;
  private facts: HostFacts | undefined;
  private staging: string | undefined;
  private started: AgentStartContext | undefined;

  constructor(
    readonly node: BootstrapNode,
    private readonly deps: ResolvedDeps,
    private readonly onProgress: (event: BootstrapProgress) => void,
  ) {
    this.label = sshPortOf(node) === 22 ? node.host : `${node.host}:${sshPortOf(node)}`;
  }

  get name(): string {
    return this.node.name ?? this.facts?.hostname ?? this.node.host;
  }

  get hostKeySha256(): string {
    return this.session?.hostKeySha256 ?? '';
  }

  async connectAndCheck(): Promise<void> {
    await this.step('connect', async () => {
      this.session = await SshSession.connect(this.node, this.deps.connectTimeoutMs);
      return `host key ${this.session.hostKeySha256}`;
    });
    await this.step('check', async () => {
      const output = await this.mustRun(
        'internal',
        'the host check',
        checkCommand(this.deps.layout),
        {
          stdin: CHECK_SCRIPT,
        },
      );
      const facts = parseHostFacts(output);
      this.facts = facts;
      const where = `${this.label} (${facts.hostname})`;
      const refusals = judgeHost(where, facts, {
        arch: this.deps.bundle.arch,
        archiveBytes: this.deps.bundle.archiveBytes,
        unpackedBytes: this.deps.bundle.unpackedBytes,
        needsSystemd: this.deps.starter.needsSystemd,
        layout: this.deps.layout,
      });
      const first = refusals[0];
      if (first) throw new StepFailure(first.kind, refusals.map((r) => r.message).join('; '));
      if (!NAME_PATTERN.test(this.name)) {
        throw new StepFailure(
          'bad-plan',
          `${where}: its host name "${this.name}" cannot name a node; give the node a name`,
        );
      }
      const free = Math.floor(facts.prefixFreeKiB / 1024);
      return `${facts.os} ${facts.arch}, node name ${this.name}, port ${AGENT_PORT} free, ${free} MiB free`;
    });
  }

  async copyBundle(): Promise<void> {
    const { bundle, layout } = this.deps;
    await this.step('copy', async () => {
      const made = await this.mustRun(
        'copy-failed',
        'mktemp',
        `mktemp -d ${q(`${layout.stagingParent}/quorate-bootstrap.XXXXXX`)}`,
      );
      this.staging = made.trim();
      const remote = `${this.staging}/${basename(bundle.archivePath)}`;
      await this.ssh().upload(bundle.archivePath, remote, 0o600);
      const sum = (await this.mustRun('copy-failed', 'sha256sum', `sha256sum ${q(remote)}`)).split(
        /\s+/,
      )[0];
      if (sum !== bundle.sha256) {
        throw new StepFailure(
          'checksum-mismatch',
          `${this.label}: the copied bundle's sha256 is ${sum}, not ${bundle.sha256}: the copy was damaged`,
        );
      }
      await this.mustRun(
        'copy-failed',
        'unpacking the bundle',
        `tar -xzf ${q(remote)} -C ${q(this.staging)}`,
      );
      return `${(bundle.archiveBytes / 1e6).toFixed(1)} MB copied, sha256 verified`;
    });
  }

  async install(material: InstallMaterial): Promise<void> {
    const { layout, bundle, starter } = this.deps;
    await this.step('install', async () => {
      this.touched = true;
      const installer = `${this.staging}/${bundle.topFolder}/install.sh`;
      const options = [
        '--prefix',
        layout.prefix,
        '--config-dir',
        layout.configDir,
        '--state-dir',
        layout.stateDir,
        ...starter.installArgs(layout),
      ];
      await this.mustRun(
        'install-failed',
        'install.sh',
        `sh ${q(installer)} ${options.map(q).join(' ')}`,
      );
      const tls = `${layout.stateDir}/tls`;
      await this.mustRun('install-failed', 'mkdir', `mkdir -p -m 0700 ${q(tls)}`);
      const session = this.ssh();
      await session.writeFile(`${tls}/ca.crt`, material.ca.certPem, 0o644);
      await session.writeFile(`${tls}/node-${this.name}.key`, material.certificate.keyPem, 0o600);
      await session.writeFile(`${tls}/node-${this.name}.crt`, material.certificate.certPem, 0o644);
      await this.mustRun(
        'install-failed',
        'ricci password',
        `${q(`${layout.prefix}/bin/ricci`)} password --state-dir ${q(layout.stateDir)}`,
        {
          stdin: `${material.agentPassword}\n`,
        },
      );
      if (material.clusterConf === undefined) {
        return `agent ${bundle.version} in ${layout.prefix}; certificate and agent password written`;
      }
      await this.writeClusterConf(material.clusterConf);
      return `agent ${bundle.version} in ${layout.prefix}; certificate, agent password and cluster.conf version 1 written`;
    });
  }

  /** The node's cluster.conf (mode 0640, replaced atomically). */
  async writeClusterConf(text: string): Promise<void> {
    this.touched = true;
    await this.ssh().writeFile(`${this.deps.layout.configDir}/cluster.conf`, text, 0o640);
  }

  async start(peers: readonly PeerAddress[]): Promise<void> {
    const { starter, layout, startTimeoutMs } = this.deps;
    const ricciArgs = ['--node', this.name];
    for (const peer of peers) {
      if (peer.name === this.name) continue;
      const host =
        peer.host.includes(':') && !peer.host.startsWith('[') ? `[${peer.host}]` : peer.host;
      ricciArgs.push('--peer', `${peer.name}=${host}:${AGENT_PORT}`);
    }
    const context = { nodeName: this.name, layout, ricciArgs };
    await this.step('start', async () => {
      this.started = context;
      await this.mustRun(
        'start-failed',
        `starting the agent (${starter.kind})`,
        starter.startScript(context),
      );
      const tries = Math.ceil(startTimeoutMs / POLL_MS);
      const wait = [
        LISTENING,
        'i=0',
        `while [ $i -lt ${tries} ]; do`,
        `  (${starter.runningScript(context)}) >/dev/null 2>&1 || exit 3`,
        `  listening ${AGENT_PORT} && exit 0`,
        `  sleep ${POLL_MS / 1000}; i=$((i + 1))`,
        'done',
        'exit 4',
      ].join('\n');
      const result = await this.ssh().exec('sh -s', {
        stdin: wait,
        timeoutMs: startTimeoutMs + 10_000,
      });
      if (result.code === 0) return `agent listening on port ${AGENT_PORT}`;
      const last = (await this.ssh().exec(starter.diagnosticsScript(context))).stdout.trim();
      const why =
        result.code === 3
          ? 'the agent exited'
          : `the agent did not listen on port ${AGENT_PORT} within ${startTimeoutMs} ms`;
      throw new StepFailure(
        'start-failed',
        `${this.label}: ${why}${last ? `; its last lines:\n${last}` : ''}`,
      );
    });
  }

  async waitForQuorum(): Promise<void> {
    const { starter, layout, quorumTimeoutMs } = this.deps;
    await this.step('quorum', async () => {
      const env = Object.entries(starter.cliEnv(layout)).map(
        ([key, value]) => `${key}=${q(value)}`,
      );
      const clustat = ['env', ...env, q(`${layout.prefix}/bin/clustat`)].join(' ');
      const tries = Math.ceil(quorumTimeoutMs / POLL_MS);
      const wait = [
        'i=0',
        `while [ $i -lt ${tries} ]; do`,
        `  out=$(${clustat} 2>&1) && case $out in *"Member Status: Quorate"*) exit 0 ;; esac`,
        `  sleep ${POLL_MS / 1000}; i=$((i + 1))`,
        'done',
        `printf '%s\\n' "$out"`,
        'exit 1',
      ].join('\n');
      const result = await this.ssh().exec('sh -s', {
        stdin: wait,
        timeoutMs: quorumTimeoutMs + 10_000,
      });
      if (result.code === 0) return 'clustat: Quorate';
      throw new StepFailure(
        'not-quorate',
        `${this.label}: no quorate cluster within ${quorumTimeoutMs} ms; clustat says:\n${result.stdout.trim()}`,
      );
    });
  }

  async removeStaging(): Promise<void> {
    const staging = this.staging;
    if (!staging || !this.session) return;
    this.staging = undefined;
    // Only a leftover in a temporary folder: said in the progress, not a failure of the run.
    await this.step('cleanup', async () => {
      await this.mustRun('internal', `removing ${staging}`, `rm -rf ${q(staging)}`);
      return `removed ${staging}`;
    }).catch(() => undefined);
  }

  /** Stops the agent and removes everything this run put on the node (and the staging folder). */
  async undo(): Promise<void> {
    if (!this.touched) return this.removeStaging();
    const { layout, starter } = this.deps;
    const facts = this.facts!;
    await this.step('undo', async () => {
      const context = this.started ?? { nodeName: this.name, layout, ricciArgs: [] };
      await this.mustRun('internal', 'stopping the agent', starter.stopScript(context));
      const remove = (dir: string, existed: boolean, inside: string) =>
        existed ? `(cd ${q(dir)} && rm -rf ${inside})` : `rm -rf ${q(dir)}`;
      const script = [
        'set -e',
        remove(layout.prefix, facts.prefixExisted, 'bin lib share VERSION README'),
        remove(
          layout.configDir,
          facts.configDirExisted,
          'cluster.conf cluster.conf.bak.* cluster.conf.*.tmp',
        ),
        // The state folder was empty (or absent) before: everything in it is this run's.
        remove(layout.stateDir, facts.stateDirExisted, '-- * .[!.]*'),
      ].join('\n');
      await this.mustRun('internal', 'removing the agent', 'sh -s', { stdin: script });
      await this.removeStaging();
      this.touched = false;
      return `removed the agent from ${layout.prefix}, ${layout.configDir}/cluster.conf and ${layout.stateDir}`;
    });
  }

  close(): void {
    this.session?.close();
  }

  private ssh(): SshSession {
    if (!this.session) throw new StepFailure('internal', `${this.label}: not connected`);
    return this.session;
  }

  /** Announces `step` as running, then done with the detail `work` returns, or failed. */
  async step(step: BootstrapStep, work: () => Promise<string>): Promise<void> {
    this.currentStep = step;
    this.onProgress({ node: this.label, step, state: 'running' });
    try {
      const detail = await work();
      this.onProgress({ node: this.label, step, state: 'done', detail });
    } catch (error) {
      this.onProgress({
        node: this.label,
        step,
        state: 'failed',
        detail: (error as Error).message,
      });
      throw error;
    }
  }

  /** Runs a command; a non-zero exit is a StepFailure of `kind` with the end of its output. */
  private async mustRun(
    kind: BootstrapFailureKind,
    what: string,
    command: string,
    options: { stdin?: string } = {},
  ): Promise<string> {
    const result: RemoteResult = await this.ssh().exec(command, options);
    if (result.code === 0) return result.stdout;
    const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
    const status = result.code === null ? `signal ${result.signal}` : `exit ${result.code}`;
    throw new StepFailure(
      kind,
      `${this.label}: ${what} failed (${status})${output ? `: ${output}` : ''}`,
    );
  }
}
