// What the console's create/add/delete routes run over SSH, behind one interface so the routes'
// tests can stand in for real hosts. Production: the SSH bootstrap with systemd (or, where no
// systemd runs — test hosts, containers — a detached agent: LUCI_BOOTSTRAP_STARTER=detached).
import { join } from 'node:path';
import { type AddNodeOutcome, type AddNodeRequest, addNode } from './add-node.js';
import { type AgentStarter, detachedStarter, systemdStarter } from './agent-starter.js';
import { type BootstrapOutcome, bootstrapCluster } from './bootstrap-cluster.js';
import type { BootstrapNode, ClusterPlan } from './bootstrap-plan.js';
import { type ClusterCaKeeper, folderCaKeeper, memoryCaKeeper } from './cluster-ca-keeper.js';
import type { BootstrapDeps, BootstrapProgress } from './node-run.js';
import { uninstallAgent } from './uninstall-agent.js';

export interface BootstrapBackend {
  createCluster(
    plan: ClusterPlan,
    onProgress: (event: BootstrapProgress) => void,
  ): Promise<BootstrapOutcome>;
  addNode(
    request: AddNodeRequest,
    onProgress: (event: BootstrapProgress) => void,
  ): Promise<AddNodeOutcome>;
  /** Stops the agent and removes it; rejects with an UninstallError naming the step. */
  uninstall(
    node: BootstrapNode & { name: string },
    onStep: (step: 'stop' | 'uninstall', state: 'running' | 'done', detail?: string) => void,
  ): Promise<void>;
}

export function sshBootstrapBackend(deps: BootstrapDeps = {}): BootstrapBackend {
  const starter = deps.starter ?? systemdStarter;
  return {
    createCluster: (plan, onProgress) => bootstrapCluster(plan, onProgress, deps),
    addNode: (request, onProgress) => addNode(request, onProgress, deps),
    uninstall: (node, onStep) =>
      uninstallAgent(
        node,
        {
          starter,
          ...(deps.layout ? { layout: deps.layout } : {}),
          ...(deps.connectTimeoutMs ? { connectTimeoutMs: deps.connectTimeoutMs } : {}),
        },
        onStep,
      ),
  };
}

/** The console's bootstrap set-up (buildApp's `bootstrap` option). */
export interface ConsoleBootstrap {
  readonly backend: BootstrapBackend;
  readonly caKeeper: ClusterCaKeeper;
}

export function memoryBootstrap(backend: BootstrapBackend): ConsoleBootstrap {
  return { backend, caKeeper: memoryCaKeeper() };
}

const starters: Readonly<Record<string, AgentStarter>> = {
  systemd: systemdStarter,
  detached: detachedStarter,
};

/**
 * From the console's data folder and environment: CAs in DATA_DIR/tls/cluster-ca, the starter
 * from LUCI_BOOTSTRAP_STARTER (`systemd`, the default, or `detached`).
 */
export function consoleBootstrapFor(
  dataDir: string,
  environment: Readonly<Record<string, string | undefined>>,
): ConsoleBootstrap {
  const name = environment.LUCI_BOOTSTRAP_STARTER ?? 'systemd';
  const starter = starters[name];
  if (!starter) {
    throw new Error(`LUCI_BOOTSTRAP_STARTER: "${name}" must be systemd or detached`);
  }
  return {
    backend: sshBootstrapBackend({ starter }),
    caKeeper: folderCaKeeper(join(dataDir, 'tls', 'cluster-ca')),
  };
}
