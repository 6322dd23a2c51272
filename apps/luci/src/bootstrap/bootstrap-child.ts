// Runs one bootstrap in its own process, so that a test can run it inside the console's test
// host (`ip netns exec`-style, via the e2e harness): the request (with its secrets) comes as
// one JSON document on stdin; progress events and then the outcome go to stdout as JSON lines.
// The outcome's CA key is left out: the caller only needs to know what happened.

import { addNode } from './add-node.js';
import { loadAgentBundle, loadDefaultAgentBundle } from './agent-bundle.js';
import { type AgentStarter, detachedStarter, systemdStarter } from './agent-starter.js';
import { bootstrapCluster } from './bootstrap-cluster.js';
import type { BootstrapNode, ClusterPlan } from './bootstrap-plan.js';
import { DEFAULT_LAYOUT, shellQuote } from './host-check.js';
import { SshSession } from './ssh-session.js';

export interface BootstrapChildRequest {
  readonly plan: ClusterPlan;
  readonly starter: 'systemd' | 'detached';
  /** Test only: the detached start fails on these node names (to exercise the undo). */
  readonly failStartOn?: readonly string[];
  /** After the cluster is made, add this node; `ccs_tool addnode` on the leader commits it. */
  readonly addAfter?: BootstrapNode;
  readonly archivePath?: string;
  readonly connectTimeoutMs?: number;
  readonly quorumTimeoutMs?: number;
}

function starterFor(request: BootstrapChildRequest): AgentStarter {
  if (request.starter === 'systemd') return systemdStarter;
  const failing = new Set(request.failStartOn ?? []);
  if (failing.size === 0) return detachedStarter;
  return {
    ...detachedStarter,
    startScript: (context) =>
      failing.has(context.nodeName)
        ? 'echo "start refused by the test" >&2; exit 1'
        : detachedStarter.startScript(context),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const startedAt = performance.now();

/** One JSON line, stamped with the milliseconds since this process started its work. */
function emit(line: object): void {
  const atMs = Math.round(performance.now() - startedAt);
  process.stdout.write(`${JSON.stringify({ ...line, atMs })}\n`);
}

async function main(): Promise<void> {
  const request = JSON.parse(await readStdin()) as BootstrapChildRequest;
  const bundle = request.archivePath
    ? await loadAgentBundle(request.archivePath)
    : await loadDefaultAgentBundle();
  const deps = {
    bundle,
    starter: starterFor(request),
    connectTimeoutMs: request.connectTimeoutMs,
    quorumTimeoutMs: request.quorumTimeoutMs,
  };
  const progress = (event: object) => emit({ type: 'progress', ...event });
  const outcome = await bootstrapCluster(request.plan, progress, deps);
  const shown = outcome.ok ? { ...outcome, ca: { certPem: outcome.ca.certPem } } : outcome;
  emit({ type: 'outcome', outcome: shown });
  if (!outcome.ok || !request.addAfter) return;
  const added = await addNode(
    {
      clusterName: request.plan.clusterName,
      node: request.addAfter,
      members: outcome.nodes.map((node) => ({ name: node.name, host: node.host })),
      ca: outcome.ca,
      agentPassword: request.plan.agentPassword,
      commitNode: (name) => commitOnLeader(request.plan.nodes, name, deps.starter),
    },
    progress,
    deps,
  );
  emit({ type: 'added', outcome: added });
}

/** `ccs_tool addnode` on each member in turn until the leader takes it (followers refuse). */
async function commitOnLeader(
  members: readonly BootstrapNode[],
  name: string,
  starter: AgentStarter,
): Promise<string> {
  let refusal = 'no member';
  for (const member of members) {
    try {
      return await commitWithCcsTool(member, name, starter);
    } catch (error) {
      refusal = (error as Error).message;
      if (!refusal.includes('is not the leader')) throw error;
    }
  }
  throw new Error(refusal);
}

/** `ccs_tool addnode` on a member (through its agent, so the cluster commits it); the new file. */
async function commitWithCcsTool(
  member: BootstrapNode,
  name: string,
  starter: AgentStarter,
): Promise<string> {
  const session = await SshSession.connect(member, 10_000);
  try {
    const layout = DEFAULT_LAYOUT;
    const env = Object.entries(starter.cliEnv(layout)).map(
      ([key, value]) => `${key}=${shellQuote(value)}`,
    );
    const conf = shellQuote(`${layout.configDir}/cluster.conf`);
    const script = [
      'set -e',
      `env ${env.join(' ')} ${shellQuote(`${layout.prefix}/bin/ccs_tool`)} addnode -v 1 ${shellQuote(name)} >&2`,
      // Every node writes the committed file itself, a moment after the command returns.
      `i=0; while ! grep -q ${shellQuote(`name="${name}"`)} ${conf} && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done`,
      `cat ${conf}`,
    ].join('\n');
    const result = await session.exec('sh -s', { stdin: script });
    if (result.code !== 0) throw new Error(`ccs_tool addnode ${name}: ${result.stderr.trim()}`);
    return result.stdout;
  } finally {
    session.close();
  }
}

main().catch((error: Error) => {
  emit({ type: 'error', name: error.name, message: error.message });
  process.exitCode = 1;
});
