// Runs fence agents by the fence-agents contract: arguments as `key=value` lines on stdin
// (never argv), actions off/on/reboot/status/list/monitor/metadata, exit codes, a timeout
// that kills the process group. `fence_manual` runs nothing: it waits for an acknowledgement.
import { accessSync, constants } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import {
  type FenceAction,
  type FenceInputParts,
  fenceInputPairs,
  fenceInputText,
  redactedFenceInput,
  redactSecrets,
} from './fence-input.js';
import { defaultAgentPath } from './resource-agent-runner.js';
import { BACKGROUND_NICENESS, type ProcessResult, runProcess } from './run-process.js';

export type FenceOutcome =
  | { readonly kind: 'success' }
  /** status/monitor: the port is powered on (0) or off (2). */
  | { readonly kind: 'power'; readonly state: 'on' | 'off' }
  | { readonly kind: 'failed'; readonly code: number }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'not-started'; readonly message: string }
  /** The caller aborted the run (shutdown): the process group was killed, a manual wait ended. */
  | { readonly kind: 'cancelled' }
  /** fence_manual: an operator confirmed the node is down. */
  | { readonly kind: 'acknowledged'; readonly by: string };

export interface FenceOperation extends FenceInputParts {
  /** `fence_ipmilan`, … or an absolute path to a `fence_*` executable. */
  readonly agent: string;
  readonly timeoutMs?: number;
  /** Work nobody waits on (the console's metadata listing) runs at the lowest CPU priority. */
  readonly background?: boolean;
}

export interface FenceResult {
  readonly agent: string;
  readonly action: FenceAction;
  readonly nodename: string | undefined;
  readonly outcome: FenceOutcome;
  readonly exitCode: number | undefined;
  readonly durationMs: number;
  /** What went to stdin, secrets replaced by `***`. */
  readonly redactedInput: string;
  /** Output with secret values replaced. */
  readonly stdout: string;
  readonly stderr: string;
}

export interface FenceAgentRunnerOptions {
  /** Folders searched for agents given by name; default /usr/sbin, /sbin, /usr/bin. */
  readonly agentDirs?: readonly string[];
  /** Pacemaker's stonith-timeout default. */
  readonly defaultTimeoutMs?: number;
  readonly killGraceMs?: number;
  readonly outputLimitBytes?: number;
  readonly commandPrefix?: readonly string[];
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly log?: (result: FenceResult) => void;
}

export const defaultFenceTimeoutMs = 60_000;
export const manualFenceAgent = 'fence_manual';

export function isFenceSuccess(outcome: FenceOutcome): boolean {
  return outcome.kind === 'success' || outcome.kind === 'acknowledged';
}

function outcomeOf(action: FenceAction, result: ProcessResult, timeoutMs: number): FenceOutcome {
  if (result.spawnError !== undefined) return { kind: 'not-started', message: result.spawnError };
  if (result.cancelled) return { kind: 'cancelled' };
  if (result.timedOut) return { kind: 'timeout', timeoutMs };
  const code = result.exitCode;
  if (code === undefined) return { kind: 'signal', signal: result.signal ?? 'unknown signal' };
  if (action === 'status' || action === 'monitor') {
    if (code === 0)
      return action === 'status' ? { kind: 'power', state: 'on' } : { kind: 'success' };
    if (code === 2) return { kind: 'power', state: 'off' };
  } else if (code === 0) {
    return { kind: 'success' };
  }
  return { kind: 'failed', code };
}

interface PendingManual {
  /** The operator who acknowledged, or undefined when the wait was aborted. */
  readonly resolve: (by: string | undefined) => void;
}

export class FenceAgentRunner {
  private readonly pendingManual = new Map<string, PendingManual[]>();

  constructor(private readonly options: FenceAgentRunnerOptions = {}) {}

  /** The folders agents given by name are looked up in, in order. */
  get agentDirs(): readonly string[] {
    return this.options.agentDirs ?? ['/usr/sbin', '/sbin', '/usr/bin'];
  }

  /** The agent's executable, or a message saying why there is none. */
  locate(agent: string): { path: string } | { error: string } {
    if (!/^fence_[A-Za-z0-9_-]+$/.test(basename(agent))) {
      return { error: `agent ${agent}: fence agents are named fence_*` };
    }
    if (isAbsolute(agent)) return { path: agent };
    if (agent.includes('/')) return { error: `agent ${agent}: give a name or an absolute path` };
    for (const dir of this.agentDirs) {
      const path = join(dir, agent);
      try {
        accessSync(path, constants.X_OK);
        return { path };
      } catch {}
    }
    return { error: `agent ${agent}: not installed` };
  }

  /** Runs one operation; aborting `signal` kills the agent's process group or ends a manual wait. */
  async run(op: FenceOperation, signal?: AbortSignal): Promise<FenceResult> {
    let pairs: Array<[string, string]>;
    try {
      pairs = fenceInputPairs(op);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.report(op, [], { kind: 'not-started', message });
    }
    if (basename(op.agent) === manualFenceAgent && op.action !== 'metadata') {
      return this.runManual(op, pairs, signal);
    }
    const located = this.locate(op.agent);
    if ('error' in located)
      return this.report(op, pairs, { kind: 'not-started', message: located.error });
    const timeoutMs = op.timeoutMs ?? this.options.defaultTimeoutMs ?? defaultFenceTimeoutMs;
    const prefix = this.options.commandPrefix ?? [];
    const argv = [...prefix, located.path];
    const result = await runProcess({
      command: argv[0]!,
      args: argv.slice(1),
      env: { PATH: defaultAgentPath, ...this.options.baseEnv },
      input: fenceInputText(pairs),
      timeoutMs,
      killGraceMs: this.options.killGraceMs,
      outputLimitBytes: this.options.outputLimitBytes,
      signal,
      ...(op.background ? { niceness: BACKGROUND_NICENESS } : {}),
    });
    return this.report(op, pairs, outcomeOf(op.action, result, timeoutMs), result);
  }

  /** Nodes whose manual fence waits for an acknowledgement. */
  pendingManualFences(): string[] {
    return [...this.pendingManual.keys()];
  }

  /**
   * An operator's word that `nodename` is down (fence_ack_manual, the console). Returns whether
   * a manual fence was waiting for it.
   */
  acknowledgeManualFence(nodename: string, by: string): boolean {
    const waiting = this.pendingManual.get(nodename);
    if (!waiting) return false;
    this.pendingManual.delete(nodename);
    for (const w of waiting) w.resolve(by);
    return true;
  }

  private async runManual(
    op: FenceOperation,
    pairs: Array<[string, string]>,
    signal: AbortSignal | undefined,
  ): Promise<FenceResult> {
    const nodename = pairs.findLast(([k]) => k === 'nodename' || k === 'port')?.[1];
    if (nodename === undefined) {
      return this.report(op, pairs, {
        kind: 'not-started',
        message: 'fence_manual needs a nodename',
      });
    }
    const startedAt = performance.now();
    const by = await this.waitForAcknowledgement(nodename, signal);
    const durationMs = Math.round(performance.now() - startedAt);
    const outcome: FenceOutcome =
      by === undefined ? { kind: 'cancelled' } : { kind: 'acknowledged', by };
    return this.report(op, pairs, outcome, undefined, durationMs);
  }

  /** The acknowledging operator, or undefined once `signal` aborts the wait. */
  private waitForAcknowledgement(
    nodename: string,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: PendingManual = {
        resolve: (by) => {
          signal?.removeEventListener('abort', abort);
          resolve(by);
        },
      };
      const abort = () => {
        const rest = (this.pendingManual.get(nodename) ?? []).filter((w) => w !== waiter);
        if (rest.length > 0) this.pendingManual.set(nodename, rest);
        else this.pendingManual.delete(nodename);
        waiter.resolve(undefined);
      };
      signal?.addEventListener('abort', abort, { once: true });
      const list = this.pendingManual.get(nodename) ?? [];
      list.push(waiter);
      this.pendingManual.set(nodename, list);
    });
  }

  private report(
    op: FenceOperation,
    pairs: Array<[string, string]>,
    outcome: FenceOutcome,
    result?: ProcessResult,
    durationMs?: number,
  ): FenceResult {
    const fenceResult: FenceResult = {
      agent: op.agent,
      action: op.action,
      nodename: op.nodename,
      outcome,
      exitCode: result?.exitCode,
      durationMs: durationMs ?? result?.durationMs ?? 0,
      redactedInput: redactedFenceInput(pairs),
      stdout: redactSecrets(result?.stdout ?? '', pairs),
      stderr: redactSecrets(result?.stderr ?? '', pairs),
    };
    this.options.log?.(fenceResult);
    return fenceResult;
  }
}
