// Removes the agent from a node over SSH (deleting a node or a cluster): stop it the way it was
// started, then remove what the install put there — the bundle's files in the install folder,
// cluster.conf and its backups, and the state folder's contents (log, certificates, password).
// The folders themselves stay: the console cannot know whether they held anything before.
import type { AgentStarter } from './agent-starter.js';
import type { BootstrapNode } from './bootstrap-plan.js';
import { type AgentLayout, DEFAULT_LAYOUT, shellQuote as q } from './host-check.js';
import { SshSession } from './ssh-session.js';

export interface UninstallDeps {
  readonly starter: AgentStarter;
  readonly layout?: AgentLayout;
  readonly connectTimeoutMs?: number;
}

export class UninstallError extends Error {
  override readonly name = 'UninstallError';
  constructor(
    readonly step: 'connect' | 'stop' | 'uninstall',
    message: string,
  ) {
    super(message);
  }
}

/** The step events are the caller's (`stop`, `uninstall`); resolves with what was removed. */
export async function uninstallAgent(
  node: BootstrapNode & { name: string },
  deps: UninstallDeps,
  onStep: (step: 'stop' | 'uninstall', state: 'running' | 'done', detail?: string) => void,
): Promise<void> {
  const layout = deps.layout ?? DEFAULT_LAYOUT;
  let session: SshSession;
  try {
    session = await SshSession.connect(node, deps.connectTimeoutMs ?? 10_000);
  } catch (error) {
    throw new UninstallError('connect', (error as Error).message);
  }
  try {
    onStep('stop', 'running');
    const context = { nodeName: node.name, layout, ricciArgs: [] };
    const stopped = await session.exec('sh -s', { stdin: deps.starter.stopScript(context) });
    if (stopped.code !== 0) {
      throw new UninstallError('stop', `${node.host}: stopping the agent failed: ${tail(stopped)}`);
    }
    onStep('stop', 'done', `the agent on ${node.name} is stopped`);
    onStep('uninstall', 'running');
    const script = [
      'set -e',
      `cd ${q(layout.prefix)} 2>/dev/null && rm -rf bin lib share VERSION README || true`,
      `rm -f ${q(layout.configDir)}/cluster.conf ${q(layout.configDir)}/cluster.conf.bak.* ${q(layout.configDir)}/cluster.conf.*.tmp`,
      `if [ -d ${q(layout.stateDir)} ]; then cd ${q(layout.stateDir)} && rm -rf -- * .[!.]*; fi`,
    ].join('\n');
    const removed = await session.exec('sh -s', { stdin: script });
    if (removed.code !== 0) {
      throw new UninstallError(
        'uninstall',
        `${node.host}: removing the agent failed: ${tail(removed)}`,
      );
    }
    onStep(
      'uninstall',
      'done',
      `removed the agent from ${layout.prefix}, ${layout.configDir}/cluster.conf and ${layout.stateDir}`,
    );
  } finally {
    session.close();
  }
}

function tail(result: { stdout: string; stderr: string; code: number | null }): string {
  const text = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-5).join('\n');
  return text || `exit ${result.code}`;
}
