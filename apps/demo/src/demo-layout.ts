// Where the demo keeps everything: one folder per node (its agent's state, config directory,
// working directory, control socket, pid and log), the console's data, and the shared service
// files. Nothing outside the demo folder is written.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_NODES = ['node1', 'node2', 'node3'] as const;
export const DEMO_CLUSTER = 'demo';
/** A file that marks a folder as the demo's, so that a fresh start may empty it. */
export const DEMO_MARKER = '.quorate-demo';

/** The repository the demo runs from (this file is `apps/demo/{src,dist}/demo-layout.*`). */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface NodePaths {
  readonly name: string;
  readonly dir: string;
  /** The agent's state directory (log, TLS material). */
  readonly stateDir: string;
  /** The agent's config directory: cluster.conf and its backups. */
  readonly configDir: string;
  /** The working directory of the agent and of every process it starts (fence_demo's "machine"). */
  readonly runDir: string;
  readonly controlSocket: string;
  readonly pidFile: string;
  readonly logFile: string;
  /** fence_demo writes it to power the node on; the demo command starts the agent again. */
  readonly powerOnFile: string;
}

export interface DemoLayout {
  readonly root: string;
  readonly marker: string;
  readonly consoleDir: string;
  readonly consoleLog: string;
  readonly consolePidFile: string;
  /** The web service's init script and server, shared by every node. */
  readonly serviceDir: string;
  readonly fenceAgent: string;
  readonly nodes: readonly NodePaths[];
}

export function demoLayout(root: string): DemoLayout {
  const nodes = DEMO_NODES.map((name): NodePaths => {
    const dir = join(root, name);
    return {
      name,
      dir,
      stateDir: join(dir, 'state'),
      configDir: join(dir, 'cluster'),
      runDir: join(dir, 'run'),
      controlSocket: join(dir, 'ricci.sock'),
      pidFile: join(dir, 'ricci.pid'),
      logFile: join(dir, 'ricci.log'),
      powerOnFile: join(dir, 'power-on'),
    };
  });
  return {
    root,
    marker: join(root, DEMO_MARKER),
    consoleDir: join(root, 'console'),
    consoleLog: join(root, 'console.log'),
    consolePidFile: join(root, 'console.pid'),
    serviceDir: join(root, 'service'),
    fenceAgent: join(repositoryRoot, 'apps/demo/fence/fence_demo'),
    nodes,
  };
}

/** `$XDG_STATE_HOME/quorate-demo`, else `~/.local/state/quorate-demo`. */
export function defaultDemoDir(env: NodeJS.ProcessEnv, home: string): string {
  const stateHome = env.XDG_STATE_HOME || join(home, '.local', 'state');
  return join(stateHome, 'quorate-demo');
}
