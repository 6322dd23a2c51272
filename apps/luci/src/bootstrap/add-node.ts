// Adds a bare host to a running cluster the way bootstrapCluster creates one: connect, check,
// copy and verify the bundle, install it with a certificate from the cluster's CA and the agent
// password, then have the cluster commit the new node (the caller's commit: the console's link
// or ccs_tool on a member), write the committed cluster.conf and start the agent. Peers admit
// only nodes of the committed configuration, so the commit comes before the start.
import { parseClusterConf } from '@quorate/core';
import type { BootstrappedNode } from './bootstrap-cluster.js';
import { type BootstrapNode, checkPlan } from './bootstrap-plan.js';
import { certificateSha256, createNodeCertificate, type PemPair } from './cluster-ca.js';
import {
  type BootstrapDeps,
  type BootstrapProgress,
  type NodeFailure,
  NodeRun,
  type PeerAddress,
  resolveDeps,
  StepFailure,
  toFailure,
} from './node-run.js';

export interface AddNodeRequest {
  readonly clusterName: string;
  readonly node: BootstrapNode;
  /** The cluster's current nodes and their agent addresses (the new node's `--peer`s). */
  readonly members: readonly PeerAddress[];
  /** The CA the cluster was created with (its key is needed to issue the certificate). */
  readonly ca: PemPair;
  readonly agentPassword: string;
  /**
   * Commits `<clusternode name=…>` into the running cluster (config_version + 1) and resolves
   * with the committed cluster.conf text. Called once the node is installed, before it starts.
   */
  readonly commitNode: (name: string) => Promise<string>;
}

export type AddNodeOutcome =
  | { readonly ok: true; readonly node: BootstrappedNode }
  | {
      readonly ok: false;
      readonly failures: readonly NodeFailure[];
      readonly undone: readonly string[];
      readonly undoFailures: readonly NodeFailure[];
      /** The cluster's configuration already names the node: delete it there. */
      readonly committed: boolean;
    };

/** Throws PlanError for bad input; everything else is in the outcome. */
export async function addNode(
  request: AddNodeRequest,
  onProgress: (event: BootstrapProgress) => void,
  deps: BootstrapDeps = {},
): Promise<AddNodeOutcome> {
  checkPlan({
    clusterName: request.clusterName,
    nodes: [request.node],
    agentPassword: request.agentPassword,
  });
  const run = new NodeRun(request.node, await resolveDeps(deps), onProgress);
  let committed = false;
  let nodeid = 0;
  try {
    await run.connectAndCheck();
    const clash = request.members.find((member) => member.name === run.name);
    if (clash)
      throw new StepFailure(
        'duplicate-name',
        `${run.label}: the cluster already has a node named ${run.name} (${clash.host})`,
      );
    const certificate = await createNodeCertificate(request.ca, run.name, [
      request.node.host.replace(/^\[|\]$/g, ''),
    ]);
    await run.copyBundle();
    await run.install({ ca: request.ca, certificate, agentPassword: request.agentPassword });
    await run.step('join', async () => {
      const text = await request.commitNode(run.name);
      committed = true;
      const entry = parseClusterConf(text).nodes.find((node) => node.name === run.name);
      if (!entry)
        throw new StepFailure('bad-plan', `the committed cluster.conf does not name ${run.name}`);
      nodeid = entry.nodeid ?? 0;
      await run.writeClusterConf(text);
      return `${run.name} committed into cluster.conf`;
    });
    await run.start(request.members);
    await run.waitForQuorum();
    await run.removeStaging();
    return {
      ok: true,
      node: {
        host: request.node.host,
        name: run.name,
        nodeid,
        hostKeySha256: run.hostKeySha256,
        agentCertificateSha256: certificateSha256(certificate.certPem),
      },
    };
  } catch (error) {
    const failure = toFailure(error, run.label, run.currentStep);
    const undone: string[] = [];
    const undoFailures: NodeFailure[] = [];
    const touched = run.touched;
    await run.undo().then(
      () => touched && undone.push(run.label),
      (undoError) => undoFailures.push(toFailure(undoError, run.label, 'undo')),
    );
    const note = committed
      ? ` (${run.name} is in the cluster's configuration now: delete the node there)`
      : '';
    return {
      ok: false,
      failures: [{ ...failure, message: failure.message + note }],
      undone,
      undoFailures,
      committed,
    };
  } finally {
    run.close();
  }
}
