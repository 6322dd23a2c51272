import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runPaths } from './layout.js';
import { isRunning, type ProcessIdentity, readMounts } from './procfs.js';
import { e2eSkipReason } from './requirements.js';
import { readManifest } from './run-record.js';
import { runMountPoints, runNetworkNamespaces, sweep } from './sweep.js';

const skipReason = e2eSkipReason();
// The child runs the built harness: Node 20 cannot run the TypeScript sources (`pnpm build` first).
const childScript = fileURLToPath(new URL('../dist/midway-child.js', import.meta.url));

interface ChildReport {
  runId: string;
  namespaces: string[];
  processes: ProcessIdentity[];
  unrecorded: ProcessIdentity[];
}

async function firstLine(stream: NodeJS.ReadableStream, timeoutMs: number): Promise<string> {
  const lines = createInterface({ input: stream });
  const timer = setTimeout(() => lines.close(), timeoutMs);
  try {
    for await (const line of lines) return line;
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`no line from the child within ${timeoutMs} ms`);
}

describe.skipIf(skipReason !== undefined)(`a test killed midway ${skipReason ?? ''}`, () => {
  test('leaves namespaces, mounts and processes that sweep(runId) removes entirely', async () => {
    expect(existsSync(childScript), `${childScript} is missing: run pnpm build`).toBe(true);
    const child = spawn(process.execPath, [childScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const report = JSON.parse(await firstLine(child.stdout, 30_000)) as ChildReport;
    const { runId, unrecorded } = report;
    child.kill('SIGKILL');
    await exited;

    // The dead test left its whole run behind, still alive.
    expect(readManifest(runId)?.owner).toBeDefined();
    expect(isRunning(readManifest(runId)!.owner)).toBe(false);
    expect(runNetworkNamespaces(runId)).toEqual([...report.namespaces, `qr${runId}-sw`].sort());
    expect(runMountPoints(runId).length).toBeGreaterThan(report.namespaces.length);
    expect(report.processes.filter(isRunning)).toEqual(report.processes);
    // Children forked inside the hosts, which the harness never recorded, run too.
    expect(unrecorded.filter(isRunning)).toEqual(unrecorded);

    const swept = await sweep(runId);
    expect(swept.killedPids).toEqual(expect.arrayContaining(report.processes.map((p) => p.pid)));
    expect(runNetworkNamespaces(runId)).toEqual([]);
    expect(readMounts().filter((entry) => entry.mountPoint.includes(runId))).toEqual([]);
    expect(report.processes.filter(isRunning)).toEqual([]);
    expect(unrecorded.filter(isRunning)).toEqual([]);
    expect(existsSync(runPaths(runId).root)).toBe(false);
  }, 60_000);
});
