// What an earlier demo left is killed, but a recorded pid is trusted only while its process still
// works in the demo folder: a pid reused by an unrelated process is spared.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER, demoLayout } from './demo-layout.js';
import { killNodeProcesses, stopLeftovers } from './leftovers.js';

const dir = mkdtempSync(join(tmpdir(), 'demo-leftovers-test-'));
const layout = demoLayout(dir);
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function sleeper(cwd: string): { child: ChildProcess; ended: Promise<NodeJS.Signals | null> } {
  const child = spawn('sleep', ['300'], { cwd, detached: true, stdio: 'ignore' });
  started.push(child);
  const ended = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_, signal) => resolve(signal)),
  );
  return { child, ended };
}

describe('leftovers of a demo', () => {
  it('kills recorded agents still working in the folder and spares a reused pid', async () => {
    for (const node of layout.nodes) mkdirSync(node.runDir, { recursive: true });
    writeFileSync(join(dir, DEMO_MARKER), '');
    const [node1, node2] = layout.nodes;
    const agent = sleeper(node1!.runDir);
    const stranger = sleeper(tmpdir());
    writeFileSync(node1!.pidFile, `${agent.child.pid}\n`);
    writeFileSync(node2!.pidFile, `${stranger.child.pid}\n`);
    stopLeftovers(layout);
    expect(await agent.ended).toBe('SIGKILL');
    // Still running (a killed one would be gone or a zombie by now: the kills went out together).
    const state = readFileSync(`/proc/${stranger.child.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    expect(['R', 'S']).toContain(state);
  });

  it('kills what a node left in its run folder and waits until it is gone', async () => {
    const service = sleeper(layout.nodes[2]!.runDir);
    await killNodeProcesses(layout);
    expect(await service.ended).toBe('SIGKILL');
  });
});
