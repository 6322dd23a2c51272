// fenced's order (libfence/agent.c): a node's methods in document order; a method succeeds
// when every one of its devices does; the first method that succeeds fences the node.
import type { ClusterConf } from '@quorate/core';
import {
  type FenceAgentRunner,
  type FenceOperation,
  type FenceResult,
  isFenceSuccess,
} from './fence-agent-runner.js';
import type { FenceAction } from './fence-input.js';

export interface FenceMethodPlan {
  readonly name: string;
  readonly path: string;
  readonly operations: readonly FenceOperation[];
}

/** The fence operations for a node, per method; throws naming the path of a bad reference. */
export function fenceMethodsFor(
  conf: ClusterConf,
  nodename: string,
  action: FenceAction = 'off',
): FenceMethodPlan[] {
  const node = conf.nodes.find((n) => n.name === nodename);
  if (!node) throw new Error(`/cluster/clusternodes: no clusternode named ${nodename}`);
  return node.fenceMethods.map((method) => ({
    name: method.name,
    path: method.path,
    operations: method.devices.map((ref) => {
      const device = conf.fenceDevices.find((d) => d.name === ref.name);
      if (!device) {
        throw new Error(`${ref.path}/@name: no fencedevice named ${ref.name}`);
      }
      return {
        agent: device.agent,
        action,
        device: device.params,
        nodeArgs: ref.params,
        nodename,
      };
    }),
  }));
}

export interface FenceNodeResult {
  readonly success: boolean;
  /** The method that fenced the node. */
  readonly method: string | undefined;
  /** Every agent run, in order. */
  readonly runs: readonly FenceResult[];
}

/** Tries the methods in order, once each; the caller decides whether to go round again. */
export async function fenceNode(
  runner: FenceAgentRunner,
  methods: readonly FenceMethodPlan[],
): Promise<FenceNodeResult> {
  const runs: FenceResult[] = [];
  for (const method of methods) {
    let allSucceeded = method.operations.length > 0;
    for (const op of method.operations) {
      const result = await runner.run(op);
      runs.push(result);
      if (!isFenceSuccess(result.outcome)) {
        allSucceeded = false;
        break;
      }
    }
    if (allSucceeded) return { success: true, method: method.name, runs };
  }
  return { success: false, method: undefined, runs };
}
