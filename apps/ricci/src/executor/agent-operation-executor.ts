// Runs the agent and fence operations a controller's `ready()` asks for, on this node, with the
// OCF and fence-agents runners, and hands each result back as a controller input in the order
// the runs finish. One service's operations run one at a time in the order given, as do one
// victim's fence operations; different services and victims run side by side.
import { availableParallelism } from 'node:os';
import type { AgentOp, FenceOp } from '@quorate/core';
import { FenceAgentRunner } from '../agent-runner/fence-agent-runner.js';
import { ResourceAgentRunner } from '../agent-runner/resource-agent-runner.js';
import { defaultOutputLogLimits, type ExecutorLog, type OutputLogLimits } from './executor-log.js';
import { failedRunCode } from './operation-mapping.js';
import {
  type ExecutorResult,
  type OperationContext,
  runAgentOp,
  runFenceOp,
} from './run-operation.js';
import { directoryServiceMarks, memoryServiceMarks, serviceRootType } from './service-root.js';

export interface AgentOperationExecutorOptions {
  /** Gets every result, once, as the runs finish; never after `close()` has begun. */
  readonly onInput: (input: ExecutorResult) => void;
  readonly log: ExecutorLog;
  /** This node's name: a migration's source for OCF agents (OCF_RESKEY_CRM_meta_migrate_source). */
  readonly node?: string;
  /** Built with its defaults when absent (OCF root /usr/lib/ocf, the built-in agents). */
  readonly resourceAgents?: ResourceAgentRunner;
  /** Built with its defaults when absent (agents in /usr/sbin, /sbin, /usr/bin). */
  readonly fenceAgents?: FenceAgentRunner;
  /** A fence operation carries no timeout; the fence runner's default (60 s) when absent. */
  readonly fenceTimeoutMs?: number;
  /**
   * Where `service` roots record that they run: a folder that a reboot empties, such as
   * /run/quorate/services. In memory when absent (a restarted daemon then finds none running).
   */
  readonly serviceMarkerDir?: string;
  readonly outputLogLimits?: OutputLogLimits;
  /**
   * Resource agents running at once (Pacemaker's node-action-limit): a node probing a thousand
   * services must not start a thousand shells. Emergency stops and fence runs do not wait for a
   * place. Default: twice the processors, at least 4.
   */
  readonly maxConcurrentAgents?: number;
}

export function defaultMaxConcurrentAgents(): number {
  return Math.max(4, 2 * availableParallelism());
}

/** A ready's operations; a whole `ControllerReady` will do. */
export interface ExecutorWork {
  readonly agentOps: readonly AgentOp[];
  readonly fenceOps: readonly FenceOp[];
}

interface Task {
  readonly opId: string;
  readonly start: (signal: AbortSignal) => Promise<ExecutorResult>;
  /** The result when the run itself threw (a bug): every accepted operation gets one. */
  readonly failure: ExecutorResult;
  readonly abort: AbortController;
  /** An emergency stop kills this run rather than wait for it (a hung status check, a start). */
  readonly preemptible: boolean;
  readonly preempts: boolean;
  /** Counts against `maxConcurrentAgents`. */
  readonly limited: boolean;
}

interface Lane {
  readonly queue: Task[];
  running: Task | undefined;
}

export class AgentOperationExecutor {
  private readonly context: OperationContext;
  private readonly lanes = new Map<string, Lane>();
  /** Ids of the operations queued or running. */
  private readonly pending = new Set<string>();
  private readonly runs = new Set<Promise<void>>();
  private readonly maxConcurrentAgents: number;
  private limitedRunning = 0;
  /** Lanes whose next operation waits for a place, in the order they began to wait. */
  private readonly waiting = new Set<string>();
  private closing = false;

  constructor(private readonly options: AgentOperationExecutorOptions) {
    this.context = {
      resourceAgents: options.resourceAgents ?? new ResourceAgentRunner(),
      fenceAgents: options.fenceAgents ?? new FenceAgentRunner(),
      marks:
        options.serviceMarkerDir === undefined
          ? memoryServiceMarks()
          : directoryServiceMarks(options.serviceMarkerDir),
      log: options.log,
      outputLimits: options.outputLogLimits ?? defaultOutputLogLimits,
      node: options.node,
      fenceTimeoutMs: options.fenceTimeoutMs,
    };
    this.maxConcurrentAgents = options.maxConcurrentAgents ?? defaultMaxConcurrentAgents();
    if (!Number.isInteger(this.maxConcurrentAgents) || this.maxConcurrentAgents < 1) {
      throw new Error('maxConcurrentAgents: must be a whole number of at least 1');
    }
  }

  /**
   * Starts (or queues) every operation. The controller hands the same operations out again
   * until `advance()`, so one whose id is queued or running is ignored. A finished id is
   * forgotten: a new leader's fence run may use an id again, and must not be dropped.
   */
  run(work: ExecutorWork): void {
    if (this.closing) {
      const count = work.agentOps.length + work.fenceOps.length;
      if (count > 0) this.options.log('warn', 'executor-closed', { ignoredOps: count });
      return;
    }
    for (const op of work.agentOps) {
      this.accept(`service:${op.service}`, {
        opId: op.opId,
        start: (signal) => runAgentOp(this.context, op, signal),
        failure: { type: 'agent-result', opId: op.opId, code: failedRunCode },
        abort: new AbortController(),
        preemptible: op.action !== 'stop',
        preempts: op.purpose === 'emergency-stop',
        limited: op.purpose !== 'emergency-stop' && op.type !== serviceRootType,
      });
    }
    for (const op of work.fenceOps) {
      this.accept(`fence:${op.victim}`, {
        opId: op.opId,
        start: (signal) => runFenceOp(this.context, op, signal),
        failure: { type: 'fence-result', opId: op.opId, ok: false },
        abort: new AbortController(),
        preemptible: false,
        preempts: false,
        limited: false,
      });
    }
  }

  /**
   * An operator's word that `node` is down (fence_ack_manual, the console): a `fence_manual`
   * operation waiting for it succeeds. Returns whether one was waiting. The controller takes
   * the acknowledgement itself as a `fence-ack` input; this only ends the wait of a run.
   */
  acknowledgeManualFence(node: string, by = 'fence_ack_manual'): boolean {
    return this.context.fenceAgents.acknowledgeManualFence(node, by);
  }

  /** Nodes a `fence_manual` operation waits for. */
  pendingManualFences(): string[] {
    return this.context.fenceAgents.pendingManualFences();
  }

  /**
   * Shutdown: queued operations are dropped, running agents' process groups are killed (SIGTERM,
   * then SIGKILL after the runner's grace), manual fence waits end; resolves once all have ended.
   * No result is delivered from here on.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const lane of this.lanes.values()) {
      for (const task of lane.queue.splice(0)) {
        this.pending.delete(task.opId);
        this.options.log('info', 'agent-op-dropped', { opId: task.opId, reason: 'shutdown' });
      }
      lane.running?.abort.abort();
    }
    while (this.runs.size > 0) await Promise.all([...this.runs]);
  }

  private accept(laneKey: string, task: Task): void {
    if (this.pending.has(task.opId)) return;
    this.pending.add(task.opId);
    let lane = this.lanes.get(laneKey);
    if (!lane) {
      lane = { queue: [], running: undefined };
      this.lanes.set(laneKey, lane);
    }
    if (task.preempts) this.preempt(lane, task);
    lane.queue.push(task);
    this.pump(laneKey, lane);
  }

  /**
   * An emergency stop ends what its service runs or waits to run (a hung status check, a start
   * the controller has abandoned): those runs are killed or never start, and fail.
   */
  private preempt(lane: Lane, by: Task): void {
    for (const task of [lane.running, ...lane.queue]) {
      if (!task?.preemptible || task.abort.signal.aborted) continue;
      this.options.log('warn', 'agent-op-preempted', { opId: task.opId, by: by.opId });
      task.abort.abort();
    }
  }

  /** Starts the lane's next operation, if it has one and there is a place for it. */
  private pump(laneKey: string, lane: Lane): void {
    if (lane.running || this.closing) return;
    const task = lane.queue[0];
    if (!task) {
      this.lanes.delete(laneKey);
      return;
    }
    // A preempted operation ends at once without running, so it needs no place.
    const limited = task.limited && !task.abort.signal.aborted;
    if (limited && this.limitedRunning >= this.maxConcurrentAgents) {
      this.waiting.add(laneKey);
      return;
    }
    lane.queue.shift();
    this.waiting.delete(laneKey);
    if (limited) this.limitedRunning++;
    lane.running = task;
    const run = task
      .start(task.abort.signal)
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log('error', 'agent-op-crashed', { opId: task.opId, message });
        return task.failure;
      })
      .then((result) => {
        lane.running = undefined;
        this.pending.delete(task.opId);
        if (limited) this.limitedRunning--;
        if (!this.closing) this.deliver(result);
        // Lanes that waited first get the place before this lane's next operation.
        this.wakeWaiting();
        this.pump(laneKey, lane);
      });
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
  }

  private wakeWaiting(): void {
    for (const laneKey of [...this.waiting]) {
      if (this.limitedRunning >= this.maxConcurrentAgents) return;
      this.waiting.delete(laneKey);
      const lane = this.lanes.get(laneKey);
      if (lane) this.pump(laneKey, lane);
    }
  }

  private deliver(result: ExecutorResult): void {
    try {
      this.options.onInput(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log('error', 'executor-input-refused', { opId: result.opId, message });
    }
  }
}
