// Processes of the demo that must not outlive it: what an earlier demo in the same folder left
// (it was killed before it could stop them), and whatever a node started that its agent does
// not stop on leaving (the web server of a service it still owns).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoLayout } from './demo-layout.js';
import { processesWorkingIn } from './demo-process.js';

/** How long killed processes may take to disappear from /proc. */
const GONE_TIMEOUT_MS = 5_000;

/**
 * Kills an earlier demo's agents and console in this folder: the pid files name process-group
 * leaders, and a pid is trusted only while its process still works in the demo folder.
 */
export function stopLeftovers(layout: DemoLayout): void {
  if (!existsSync(layout.marker)) return;
  const root = realpathSync(layout.root);
  const pidFiles = [layout.consolePidFile, ...layout.nodes.map((node) => node.pidFile)];
  for (const file of pidFiles) {
    const pid = Number(existsSync(file) ? readFileSync(file, 'utf8').trim() : Number.NaN);
    if (!Number.isInteger(pid) || pid <= 0 || !worksIn(pid, root)) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  for (const pid of processesWorkingIn(runDirs(layout))) killQuietly(pid);
}

/** SIGKILLs every process working in a node's run folder and waits until they are gone. */
export async function killNodeProcesses(layout: DemoLayout): Promise<void> {
  const dirs = runDirs(layout);
  const deadline = performance.now() + GONE_TIMEOUT_MS;
  for (;;) {
    const left = processesWorkingIn(dirs);
    if (left.length === 0) return;
    if (performance.now() > deadline) {
      throw new Error(`processes ${left.join(', ')} survived SIGKILL in ${dirs.join(', ')}`);
    }
    for (const pid of left) killQuietly(pid);
    await sleep(20);
  }
}

function runDirs(layout: DemoLayout): string[] {
  return layout.nodes
    .filter((node) => existsSync(node.runDir))
    .map((node) => realpathSync(node.runDir));
}

function worksIn(pid: number, root: string): boolean {
  try {
    const cwd = realpathSync(`/proc/${pid}/cwd`);
    return cwd === root || cwd.startsWith(`${root}/`);
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
}
