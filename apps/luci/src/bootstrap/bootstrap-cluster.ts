// Creates a cluster from bare hosts over SSH (issue 11 item 1): connect to every host, check it,
// copy and verify the agent bundle, install it, write each node's certificate from a new cluster
// CA, the agent password and cluster.conf version 1, start the agents and wait until every node
// sees a quorate cluster. All or nothing: a host that fails a check stops the run before anything
// is installed anywhere; a failure after that undoes every node touched so far, and says so.
import { EditError } from '@quorate/core';
import { type ClusterPlan, checkPlan } from './bootstrap-plan.js';
import {
  certificateSha256,
  createClusterCa,
  createNodeCertificate,
  type PemPair,
} from './cluster-ca.js';
import { InitialConfigError, initialClusterConf } from './initial-cluster-conf.js';
import {
  type BootstrapDeps,
  type BootstrapProgress,
  type NodeFailure,
  NodeRun,
  resolveDeps,
  StepFailure,
  toFailure,
} from './node-run.js';

export interface BootstrappedNode {
  readonly host: string;
  readonly name: string;
  readonly nodeid: number;
  /** The SSH host key seen (pin it for later add, delete and upgrade runs). */
  readonly hostKeySha256: string;
  /** The agent's certificate, in the form the console pins agents by. */
  readonly agentCertificateSha256: string;
}

export type BootstrapOutcome =
  | {
      readonly ok: true;
      readonly clusterName: string;
      readonly nodes: readonly BootstrappedNode[];
      /** Keep it (secret): adding a node later needs a certificate from the same CA. */
      readonly ca: PemPair;
      readonly clusterConf: string;
    }
  | {
      readonly ok: false;
      readonly failures: readonly NodeFailure[];
      /** Hosts where something had been installed and was removed again. */
      readonly undone: readonly string[];
      /** Hosts where the undo itself failed: the message says what may be left there. */
      readonly undoFailures: readonly NodeFailure[];
    };

/** Throws PlanError for bad input (before any connection); everything else is in the outcome. */
export async function bootstrapCluster(
  plan: ClusterPlan,
  onProgress: (event: BootstrapProgress) => void,
  deps: BootstrapDeps = {},
): Promise<BootstrapOutcome> {
  checkPlan(plan);
  const resolved = await resolveDeps(deps);
  const runs = plan.nodes.map((node) => new NodeRun(node, resolved, onProgress));
  try {
    return await createCluster(plan, runs);
  } finally {
    for (const run of runs) run.close();
  }
}

async function createCluster(
  plan: ClusterPlan,
  runs: readonly NodeRun[],
): Promise<BootstrapOutcome> {
  let failures = await eachNode(runs, (run) => run.connectAndCheck());
  if (failures.length > 0) return failed(failures);
  let prepared: PreparedCluster;
  try {
    prepared = await prepareCluster(plan, runs);
  } catch (error) {
    return failed([toFailure(error, runs[0]?.label ?? '', 'check')]);
  }
  failures = await eachNode(runs, (run) => run.copyBundle());
  if (failures.length > 0) return failed(failures, await undo(runs));
  failures = await eachNode(runs, (run, index) => {
    const node = prepared.nodes[index]!;
    return run.install({
      ca: prepared.ca,
      certificate: node.certificate,
      agentPassword: plan.agentPassword,
      clusterConf: prepared.clusterConf,
    });
  });
  if (failures.length === 0) failures = await eachNode(runs, (run) => run.start(prepared.peers));
  if (failures.length === 0) failures = await eachNode(runs, (run) => run.waitForQuorum());
  if (failures.length > 0) return failed(failures, await undo(runs));
  await Promise.all(runs.map((run) => run.removeStaging()));
  return {
    ok: true,
    clusterName: plan.clusterName,
    ca: prepared.ca,
    clusterConf: prepared.clusterConf,
    nodes: runs.map((run, index) => ({
      host: run.node.host,
      name: run.name,
      nodeid: index + 1,
      hostKeySha256: run.hostKeySha256,
      agentCertificateSha256: prepared.nodes[index]!.fingerprint,
    })),
  };
}

interface PreparedCluster {
  readonly ca: PemPair;
  readonly clusterConf: string;
  readonly nodes: readonly { certificate: PemPair; fingerprint: string }[];
  /** Every node's name and agent address, for `--peer`. */
  readonly peers: readonly { name: string; host: string }[];
}

/** Names (checked for clashes), cluster.conf version 1, the CA and every node's certificate. */
async function prepareCluster(
  plan: ClusterPlan,
  runs: readonly NodeRun[],
): Promise<PreparedCluster> {
  const names = runs.map((run) => run.name);
  names.forEach((name, index) => {
    const first = names.indexOf(name);
    if (first !== index) {
      throw new StepFailure(
        'duplicate-name',
        `${runs[first]?.label} and ${runs[index]?.label} are both named ${name}; give the nodes distinct names`,
      );
    }
  });
  let clusterConf: string;
  try {
    clusterConf = initialClusterConf(plan.clusterName, names, plan.options);
  } catch (error) {
    if (error instanceof InitialConfigError || error instanceof EditError) {
      throw new StepFailure('bad-plan', (error as Error).message);
    }
    throw error;
  }
  const ca = await createClusterCa(plan.clusterName);
  const nodes = [];
  for (const run of runs) {
    const certificate = await createNodeCertificate(ca, run.name, [bareHost(run.node.host)]);
    nodes.push({ certificate, fingerprint: certificateSha256(certificate.certPem) });
  }
  const peers = runs.map((run) => ({ name: run.name, host: run.node.host }));
  return { ca, clusterConf, nodes, peers };
}

function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

/** Runs one step on every node at once; the failures of those that failed, in plan order. */
async function eachNode(
  runs: readonly NodeRun[],
  step: (run: NodeRun, index: number) => Promise<void>,
): Promise<NodeFailure[]> {
  const settled = await Promise.allSettled(runs.map((run, index) => step(run, index)));
  return settled.flatMap((result, index) =>
    result.status === 'rejected'
      ? [toFailure(result.reason, runs[index]!.label, runs[index]!.currentStep)]
      : [],
  );
}

/** Undoes every node that was touched; reports which were undone and which could not be. */
async function undo(
  runs: readonly NodeRun[],
): Promise<{ undone: string[]; undoFailures: NodeFailure[] }> {
  const undone: string[] = [];
  const undoFailures: NodeFailure[] = [];
  await Promise.all(
    runs.map(async (run) => {
      const touched = run.touched;
      try {
        await run.undo();
        if (touched) undone.push(run.label);
      } catch (error) {
        undoFailures.push(toFailure(error, run.label, 'undo'));
      }
    }),
  );
  return { undone, undoFailures };
}

function failed(
  failures: NodeFailure[],
  undone: { undone: string[]; undoFailures: NodeFailure[] } = { undone: [], undoFailures: [] },
): BootstrapOutcome {
  return { ok: false, failures, ...undone };
}
