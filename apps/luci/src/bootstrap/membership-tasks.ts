// The SSH work behind "Add node", "Delete node" and "Delete cluster", run as tasks: each step
// reported per host, the end in one sentence. The credentials live only in these closures.
import type { TaskFailure } from '@quorate/protocol';
import type { ClusterLink } from '../cluster-link/cluster-link.js';
import type { BootstrapBackend } from './bootstrap-backend.js';
import type { BootstrapNode } from './bootstrap-plan.js';
import type { TaskContext, TaskEnd } from './bootstrap-tasks.js';
import type { PemPair } from './cluster-ca.js';
import { commitEdit } from './cluster-membership.js';
import type { PeerAddress } from './node-run.js';
import { UninstallError } from './uninstall-agent.js';

/** How the bootstrap labels a host in its progress: `host`, or `host:port` off port 22. */
export function hostLabel(node: { host: string; sshPort?: number | undefined }): string {
  return (node.sshPort ?? 22) === 22 ? node.host : `${node.host}:${node.sshPort}`;
}

export async function addNodeWork(
  backend: BootstrapBackend,
  request: {
    cluster: string;
    node: BootstrapNode;
    members: readonly PeerAddress[];
    ca: PemPair;
    agentPassword: string;
    link: () => ClusterLink | undefined;
  },
  context: TaskContext,
): Promise<TaskEnd> {
  const outcome = await backend.addNode(
    {
      clusterName: request.cluster,
      node: request.node,
      members: request.members,
      ca: request.ca,
      agentPassword: request.agentPassword,
      commitNode: async (name) => {
        const link = request.link();
        if (!link) throw new Error(`the console has no link to ${request.cluster} any more`);
        return (await commitEdit(link, { op: 'addNode', name })).text;
      },
    },
    context.progress,
  );
  if (outcome.ok) {
    const { name, nodeid } = outcome.node;
    return {
      ok: true,
      summary: `${name} joined ${request.cluster} as nodeid ${nodeid} and sees a quorate cluster`,
    };
  }
  const what = outcome.failures.map((failure) => failure.message).join('; ');
  const undone = outcome.undone.length > 0 ? ' What was installed there was removed again.' : '';
  return {
    ok: false,
    summary: `${hostLabel(request.node)} was not added to ${request.cluster}: ${what}.${undone}`,
    failures: [...outcome.failures, ...outcome.undoFailures],
    undone: outcome.undone,
  };
}

/** Stops and removes the agent on one node; a failure is the node's, with its step. */
export async function uninstallOne(
  backend: BootstrapBackend,
  node: BootstrapNode & { name: string },
  context: TaskContext,
): Promise<TaskFailure | null> {
  const label = hostLabel(node);
  let current: 'stop' | 'uninstall' = 'stop';
  try {
    await backend.uninstall(node, (step, state, detail) => {
      current = step;
      context.progress({ node: label, step, state, ...(detail ? { detail } : {}) });
    });
    return null;
  } catch (error) {
    const step = error instanceof UninstallError && error.step !== 'connect' ? error.step : current;
    const message = (error as Error).message;
    context.progress({ node: label, step, state: 'failed', detail: message });
    return { node: label, step, kind: 'uninstall-failed', message };
  }
}

/** Uninstalls every node given; `forget` runs only when all of them succeeded. */
export async function deleteClusterWork(
  backend: BootstrapBackend,
  cluster: string,
  nodes: readonly (BootstrapNode & { name: string })[],
  leftRunning: readonly string[],
  forget: () => void,
  context: TaskContext,
): Promise<TaskEnd> {
  const results = await Promise.all(nodes.map((node) => uninstallOne(backend, node, context)));
  const failures = results.filter((failure): failure is TaskFailure => failure !== null);
  if (failures.length > 0) {
    return {
      ok: false,
      summary: `${cluster} was not deleted: ${failures.map((f) => f.message).join('; ')}. The console keeps ${cluster} so that you can try again.`,
      failures,
    };
  }
  forget();
  const left =
    leftRunning.length > 0 ? ` The agents on ${leftRunning.join(', ')} were left as they are.` : '';
  return {
    ok: true,
    summary: `${cluster} is deleted: its agents were stopped and removed from ${nodes.map((n) => n.name).join(', ')}, and the console forgot it.${left}`,
  };
}
