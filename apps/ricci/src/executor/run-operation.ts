// One operation run to its end: the agent (or the `service` root, in the daemon) run, its
// result logged with its output lines, and the controller input that reports it.
import type { AgentOp, ControllerInput, FenceOp } from '@quorate/core';
import { type FenceAgentRunner, isFenceSuccess } from '../agent-runner/fence-agent-runner.js';
import { describeOcfOutcome } from '../agent-runner/ocf-outcome.js';
import type {
  ResourceAgentResult,
  ResourceAgentRunner,
} from '../agent-runner/resource-agent-runner.js';
import {
  type ExecutorLog,
  type ExecutorLogLevel,
  logOutput,
  type OutputLogLimits,
} from './executor-log.js';
import {
  agentActionOf,
  controllerCodeOf,
  fenceOperationOf,
  resourceOperationOf,
} from './operation-mapping.js';
import { runServiceRoot, type ServiceMarks, serviceRootType } from './service-root.js';

/** The controller inputs the executor produces. */
export type ExecutorResult = Extract<ControllerInput, { type: 'agent-result' | 'fence-result' }>;

export interface OperationContext {
  readonly resourceAgents: ResourceAgentRunner;
  readonly fenceAgents: FenceAgentRunner;
  readonly marks: ServiceMarks;
  readonly log: ExecutorLog;
  readonly outputLimits: OutputLogLimits;
  /** This node's name, a migration's source. */
  readonly node: string | undefined;
  readonly fenceTimeoutMs: number | undefined;
}

export async function runAgentOp(
  context: OperationContext,
  op: AgentOp,
  signal: AbortSignal,
): Promise<ExecutorResult> {
  const fields = {
    opId: op.opId,
    service: op.service,
    resource: op.resource,
    type: op.type,
    action: agentActionOf(op),
    purpose: op.purpose,
  };
  context.log('debug', 'agent-op-started', { ...fields, depth: op.depth });
  if (op.type === serviceRootType) {
    const { code, message } = runServiceRoot(op, context.marks);
    context.log(levelOf(op, code), 'agent-op-finished', { ...fields, code, message });
    return { type: 'agent-result', opId: op.opId, code };
  }
  const operation = resourceOperationOf(op, context.node);
  const result = await context.resourceAgents.run(operation, signal);
  const code = controllerCodeOf(result.outcome);
  logAgentResult(context, op, fields, result, code);
  return { type: 'agent-result', opId: op.opId, code };
}

function logAgentResult(
  context: OperationContext,
  op: AgentOp,
  fields: Record<string, unknown>,
  result: ResourceAgentResult,
  code: number,
): void {
  const level = levelOf(op, code);
  context.log(level, 'agent-op-finished', {
    ...fields,
    code,
    outcome: describeOcfOutcome(result.outcome),
    exitReason: result.exitReason,
    agentPath: result.agentPath,
    durationMs: result.durationMs,
    timeoutMs: result.timeoutMs,
  });
  logOutput(context.log, level, op.opId, result, context.outputLimits);
}

/** Failures are warnings; routine checks are debug, so the idle log stays quiet. */
function levelOf(op: AgentOp, code: number): ExecutorLogLevel {
  const checking = op.action === 'status';
  if (code !== 0 && !(checking && code === 7)) return 'warn';
  return checking ? 'debug' : 'info';
}

export async function runFenceOp(
  context: OperationContext,
  op: FenceOp,
  signal: AbortSignal,
): Promise<ExecutorResult> {
  const fields = {
    opId: op.opId,
    victim: op.victim,
    method: op.method,
    device: op.device,
    agent: op.agent,
  };
  const operation = fenceOperationOf(op, context.fenceTimeoutMs);
  if ('error' in operation) {
    context.log('warn', 'fence-op-refused', { ...fields, message: operation.error });
    return { type: 'fence-result', opId: op.opId, ok: false };
  }
  context.log('info', 'fence-op-started', { ...fields, action: operation.action });
  const result = await context.fenceAgents.run(operation, signal);
  const ok = isFenceSuccess(result.outcome);
  const level = ok ? 'info' : 'warn';
  // The runner has replaced every secret value in the input and output by ***.
  context.log(level, 'fence-op-finished', {
    ...fields,
    action: operation.action,
    ok,
    outcome: result.outcome,
    durationMs: result.durationMs,
    input: result.redactedInput,
  });
  logOutput(context.log, level, op.opId, result, context.outputLimits);
  return { type: 'fence-result', opId: op.opId, ok };
}
