// Simulated resource agents for the controller's test world (to move into packages/sim): every
// resource of every node, started and stopped by agent operations that take some ticks, with
// planted failures and hangs. A resource keeps running on a node until it is stopped there or the
// node loses power: the outside view the checkers count. A hung operation ends at its timeout
// with a failure and changes nothing, as the agent runner's kill does.
import type { AgentOp } from './types.js';

export type AgentFaultKind =
  /** The operation fails (exit 1) at once and changes nothing. */
  | 'fail'
  /** The operation never answers: the runner's timeout ends it as a failure. */
  | 'hang';

export interface AgentCompletion {
  readonly node: string;
  readonly op: AgentOp;
  readonly code: number;
}

interface InFlight {
  readonly node: string;
  readonly op: AgentOp;
  readonly doneAt: number;
  readonly code: number;
  readonly effect: 'run' | 'stop' | 'move' | 'none';
}

/** OCF exit codes the simulation uses. */
export const OCF_SUCCESS = 0;
export const OCF_ERR_GENERIC = 1;
export const OCF_NOT_RUNNING = 7;

const key = (service: string, resource: string) => `${service}/${resource}`;

export class SimAgents {
  /** Per node, the `service/resource` keys running there. */
  private readonly running = new Map<string, Set<string>>();
  private inFlight: InFlight[] = [];
  /** `node|resource|action` (node or resource may be `*`) → fault and how many more times. */
  private readonly faults = new Map<string, { kind: AgentFaultKind; times: number }>();
  /** Ticks an operation takes (a hang takes its timeout). */
  durationTicks = 1;

  constructor(private readonly tickMs: number) {}

  fault(node: string, resource: string, action: string, kind: AgentFaultKind, times = 1): void {
    this.faults.set(`${node}|${resource}|${action}`, { kind, times });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private takeFault(node: string, op: AgentOp): AgentFaultKind | undefined {
    for (const k of [
      `${node}|${op.resource}|${op.action}`,
      `*|${op.resource}|${op.action}`,
      `${node}|*|${op.action}`,
      `*|*|${op.action}`,
    ]) {
      const f = this.faults.get(k);
      if (!f) continue;
      if (--f.times <= 0) this.faults.delete(k);
      return f.kind;
    }
    return undefined;
  }

  submit(node: string, op: AgentOp, now: number): void {
    const fault = this.takeFault(node, op);
    if (fault === 'hang') {
      const doneAt = now + Math.max(1, Math.ceil(op.timeoutMs / this.tickMs));
      this.inFlight.push({ node, op, doneAt, code: OCF_ERR_GENERIC, effect: 'none' });
      return;
    }
    const doneAt = now + this.durationTicks;
    if (fault === 'fail') {
      this.inFlight.push({ node, op, doneAt, code: OCF_ERR_GENERIC, effect: 'none' });
      return;
    }
    const effects = {
      start: 'run',
      stop: 'stop',
      migrate: 'move',
      status: 'none',
      reconfig: 'none',
    } as const;
    const effect = effects[op.action];
    this.inFlight.push({ node, op, doneAt, code: OCF_SUCCESS, effect });
  }

  /** Operations finished by `now`, their effects applied; `status` answers from the state. */
  due(now: number): AgentCompletion[] {
    const done = this.inFlight.filter((f) => f.doneAt <= now);
    this.inFlight = this.inFlight.filter((f) => f.doneAt > now);
    return done.map((f) => {
      const k = key(f.op.service, f.op.resource);
      const set = this.running.get(f.node) ?? new Set<string>();
      this.running.set(f.node, set);
      if (f.effect === 'run') set.add(k);
      if (f.effect === 'stop') set.delete(k);
      if (f.effect === 'move' && f.op.target !== undefined)
        this.move(f.node, f.op.target, f.op.service);
      const statusCode = set.has(k) ? OCF_SUCCESS : OCF_NOT_RUNNING;
      const code = f.op.action === 'status' && f.code === OCF_SUCCESS ? statusCode : f.code;
      return { node: f.node, op: f.op, code };
    });
  }

  /** A live migration: everything of the service runs on the target now. */
  private move(from: string, to: string, service: string): void {
    const source = this.running.get(from) ?? new Set<string>();
    const target = this.running.get(to) ?? new Set<string>();
    this.running.set(to, target);
    for (const k of [...source]) {
      if (!k.startsWith(`${service}/`)) continue;
      source.delete(k);
      target.add(k);
    }
  }

  /** The resource dies on its own (a crashed daemon): the next status check finds it gone. */
  crash(node: string, service: string, resource: string): boolean {
    return this.running.get(node)?.delete(key(service, resource)) ?? false;
  }

  /** Power off: everything on the node stops, and its operations in flight vanish. */
  powerOff(node: string): void {
    this.running.delete(node);
    this.inFlight = this.inFlight.filter((f) => f.node !== node);
  }

  /** The process (not the machine) died: its operations in flight vanish, resources run on. */
  processDied(node: string): void {
    this.inFlight = this.inFlight.filter((f) => f.node !== node);
  }

  isRunning(node: string, service: string, resource: string): boolean {
    return this.running.get(node)?.has(key(service, resource)) ?? false;
  }

  /** The nodes where any resource of `service` runs. */
  nodesRunning(service: string): string[] {
    const nodes: string[] = [];
    for (const [node, set] of this.running) {
      if ([...set].some((k) => k.startsWith(`${service}/`))) nodes.push(node);
    }
    return nodes.sort();
  }

  /** `service/resource` keys running on `node`. */
  runningOn(node: string): string[] {
    return [...(this.running.get(node) ?? [])].sort();
  }

  /** Whether a stop of `service`'s resources is in flight on `node`. */
  stopping(node: string, service: string): boolean {
    return this.inFlight.some(
      (f) => f.node === node && f.op.service === service && f.op.action === 'stop',
    );
  }
}
