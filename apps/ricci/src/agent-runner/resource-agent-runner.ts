// Runs resource agents by the OCF contract (rgmanager's restree.c build_env/res_exec, the OCF
// resource-agent API): parameters as OCF_RESKEY_* in a clean environment, the action as the
// only argument, a timeout that kills the whole process group, exit codes as typed outcomes.
import type { ActionOverride, AgentCatalog, AgentMetadata, ResourceNode } from '@quorate/core';
import { builtinAgentCatalog } from '@quorate/core';
import { actionTimeoutMs, defaultActionTimeoutMs } from './action-timeout.js';
import { defaultBuiltinAgentsDir, defaultOcfRoot, locateResourceAgent } from './agent-locations.js';
import { type OcfOutcome, ocfOutcomeOfCode } from './ocf-outcome.js';
import { BACKGROUND_NICENESS, type ProcessResult, runProcess } from './run-process.js';

export interface ResourceOperation {
  /** cluster.conf's element name: `ip`, `fs`, `ocf:heartbeat:IPaddr2`, … */
  readonly type: string;
  /** `start`, `stop`, `status`, `monitor`, `validate-all`, `meta-data`, … */
  readonly action: string;
  /** Resolved attributes (refs and inheritance done); meta-data defaults are added here. */
  readonly attributes: Readonly<Record<string, string>>;
  /** OCF_CHECK_LEVEL for status checks. */
  readonly depth?: number;
  /** The agent's meta-data (defaults, timeouts, API version, primary parameter); the
   * runner's catalog entry for the type otherwise. */
  readonly metadata?: AgentMetadata;
  readonly overrides?: readonly ActionOverride[];
  /** Wins over meta-data and overrides. */
  readonly timeoutMs?: number;
  /** OCF_RESOURCE_INSTANCE; defaults to `TYPE:PRIMARY-VALUE`. */
  readonly instance?: string;
  /** Arguments after the action: rgmanager's `migrate TARGET`. */
  readonly arguments?: readonly string[];
  /** Work nobody waits on (the console's meta-data listing) runs at the lowest CPU priority. */
  readonly background?: boolean;
}

export interface ResourceAgentResult {
  readonly type: string;
  readonly action: string;
  readonly instance: string;
  readonly agentPath: string | undefined;
  readonly outcome: OcfOutcome;
  readonly exitCode: number | undefined;
  readonly timeoutMs: number;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncatedBytes: { readonly stdout: number; readonly stderr: number };
  /** The agent's `ocf-exit-reason:` line, when it printed one. */
  readonly exitReason: string | undefined;
}

export interface ResourceAgentRunnerOptions {
  readonly ocfRoot?: string;
  readonly builtinAgentsDir?: string;
  readonly defaultTimeoutMs?: number;
  readonly killGraceMs?: number;
  readonly outputLimitBytes?: number;
  /** Runs every agent through this argv prefix (a test host's `nsenter … --`, say). */
  readonly commandPrefix?: readonly string[];
  /** PATH and anything else every agent gets; the daemon's own environment is not passed on. */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly log?: (result: ResourceAgentResult) => void;
  /** Meta-data for operations that bring none; the built-in types by default. */
  readonly catalog?: AgentCatalog;
}

export const defaultAgentPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const exitReasonPrefix = 'ocf-exit-reason:';

/** The primary attribute's name: the meta-data's, else `name`. */
function primaryValue(attributes: Readonly<Record<string, string>>, meta?: AgentMetadata): string {
  const name = meta?.parameters.find((p) => p.primary)?.name ?? 'name';
  return attributes[name] ?? '';
}

function outcomeOf(result: ProcessResult, timeoutMs: number): OcfOutcome {
  if (result.spawnError !== undefined) return { kind: 'not-started', message: result.spawnError };
  if (result.cancelled) return { kind: 'cancelled' };
  if (result.timedOut) return { kind: 'timeout', timeoutMs };
  if (result.exitCode !== undefined) return ocfOutcomeOfCode(result.exitCode);
  return { kind: 'signal', signal: result.signal ?? 'unknown signal' };
}

function exitReasonOf(stderr: string): string | undefined {
  const line = stderr.split('\n').findLast((l) => l.startsWith(exitReasonPrefix));
  return line?.slice(exitReasonPrefix.length).trim();
}

export class ResourceAgentRunner {
  readonly ocfRoot: string;
  readonly builtinAgentsDir: string;

  constructor(private readonly options: ResourceAgentRunnerOptions = {}) {
    this.ocfRoot = options.ocfRoot ?? defaultOcfRoot;
    this.builtinAgentsDir = options.builtinAgentsDir ?? defaultBuiltinAgentsDir();
  }

  /** The environment an operation runs with (exported for the console's "show command"). */
  environment(op: ResourceOperation, timeoutMs: number): Record<string, string> {
    const meta = this.metadataOf(op);
    const located = locateResourceAgent(op.type, this);
    const resourceType = 'error' in located ? op.type : located.resourceType;
    const [major = '1', minor = '0'] = (meta?.version ?? '1.0').split('.');
    const env: Record<string, string> = {
      PATH: defaultAgentPath,
      ...this.options.baseEnv,
      OCF_ROOT: this.ocfRoot,
      OCF_RA_VERSION_MAJOR: major,
      OCF_RA_VERSION_MINOR: minor,
      OCF_RESOURCE_INSTANCE: op.instance ?? `${op.type}:${primaryValue(op.attributes, meta)}`,
      OCF_RESOURCE_TYPE: resourceType,
      OCF_CHECK_LEVEL: String(op.depth ?? 0),
      OCF_EXIT_REASON_PREFIX: exitReasonPrefix,
      OCF_RESKEY_CRM_meta_timeout: String(timeoutMs),
      OCF_RESKEY_RGMANAGER_meta_timeout: String(Math.ceil(timeoutMs / 1000)),
    };
    if (!('error' in located) && located.provider !== undefined) {
      env.OCF_RESOURCE_PROVIDER = located.provider;
    }
    for (const p of meta?.parameters ?? []) {
      if (p.defaultValue !== undefined) env[`OCF_RESKEY_${p.name}`] = p.defaultValue;
    }
    for (const [name, value] of Object.entries(op.attributes)) {
      // rgmanager's own `__…` attributes steer the resource manager, not the agent.
      if (!name.startsWith('__')) env[`OCF_RESKEY_${name}`] = value;
    }
    return env;
  }

  timeoutFor(op: ResourceOperation): number {
    if (op.timeoutMs !== undefined) return op.timeoutMs;
    const fromConfig = actionTimeoutMs(
      op.action,
      op.depth,
      this.metadataOf(op)?.actions ?? [],
      op.overrides ?? [],
    );
    return fromConfig ?? this.options.defaultTimeoutMs ?? defaultActionTimeoutMs;
  }

  /** Runs one operation; aborting `signal` kills the agent's process group (shutdown). */
  async run(op: ResourceOperation, signal?: AbortSignal): Promise<ResourceAgentResult> {
    const timeoutMs = this.timeoutFor(op);
    const env = this.environment(op, timeoutMs);
    const instance = env.OCF_RESOURCE_INSTANCE ?? op.type;
    const located = locateResourceAgent(op.type, this);
    const base = { type: op.type, action: op.action, instance, timeoutMs };
    if ('error' in located) {
      return this.report({
        ...base,
        agentPath: undefined,
        outcome: { kind: 'not-started', message: located.error },
        exitCode: undefined,
        durationMs: 0,
        stdout: '',
        stderr: '',
        truncatedBytes: { stdout: 0, stderr: 0 },
        exitReason: undefined,
      });
    }
    const prefix = this.options.commandPrefix ?? [];
    const argv = [...prefix, located.path, op.action, ...(op.arguments ?? [])];
    const result = await runProcess({
      command: argv[0]!,
      args: argv.slice(1),
      env,
      timeoutMs,
      killGraceMs: this.options.killGraceMs,
      outputLimitBytes: this.options.outputLimitBytes,
      signal,
      ...(op.background ? { niceness: BACKGROUND_NICENESS } : {}),
    });
    return this.report({
      ...base,
      agentPath: located.path,
      outcome: outcomeOf(result, timeoutMs),
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      stdout: result.stdout,
      stderr: result.stderr,
      truncatedBytes: result.truncatedBytes,
      exitReason: exitReasonOf(result.stderr),
    });
  }

  /** Runs an action on one node of a service's resource tree. */
  runNode(
    node: ResourceNode,
    action: string,
    options: { depth?: number; metadata?: AgentMetadata; timeoutMs?: number } = {},
  ): Promise<ResourceAgentResult> {
    return this.run({
      type: node.type,
      action,
      attributes: node.attributes,
      depth: options.depth,
      metadata: options.metadata,
      overrides: node.actions,
      timeoutMs: options.timeoutMs,
      instance: `${node.type}:${node.primaryValue}`,
    });
  }

  private metadataOf(op: ResourceOperation): AgentMetadata | undefined {
    return op.metadata ?? (this.options.catalog ?? builtinAgentCatalog).get(op.type);
  }

  private report(result: ResourceAgentResult): ResourceAgentResult {
    this.options.log?.(result);
    return result;
  }
}
