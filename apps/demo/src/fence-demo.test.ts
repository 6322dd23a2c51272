// fence_demo by the fence-agents contract: key=value lines on stdin; a demo node is its agent's
// process group (pid in NODE/ricci.pid) and every process working in NODE/run. Stand-in "agents"
// here are `sleep` processes: one leading its own group, one started apart in the node's folder.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoLayout } from './demo-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'fence-demo-test-'));
const { fenceAgent } = demoLayout(dir);
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function fence(input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(fenceAgent, [], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** A demo node whose "agent" leads its own group and whose "service" runs in its run folder. */
function demoNode(name: string) {
  const run = join(dir, name, 'run');
  mkdirSync(run, { recursive: true });
  const agent = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  const service = spawn('sleep', ['301'], { cwd: run, detached: true, stdio: 'ignore' });
  started.push(agent, service);
  writeFileSync(join(dir, name, 'ricci.pid'), `${agent.pid}\n`);
  const exited = (child: ChildProcess) =>
    new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_, signal) => resolve(signal)),
    );
  return { agent: exited(agent), service: exited(service) };
}

describe('fence_demo', () => {
  it('prints its metadata without needing a demo folder', async () => {
    const result = await fence('action=metadata\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<resource-agent name="fence_demo"');
    expect(result.stdout).toContain('<parameter name="demo_dir"');
  });

  it('powers a node off: its agent group and its processes end; status then says off', async () => {
    const node = demoNode('node2');
    const base = `demo_dir=${dir}\nport=node2\n`;
    expect((await fence(`${base}action=status\n`)).code).toBe(0);
    expect((await fence(`# a comment\n${base}action=off\n`)).code).toBe(0);
    expect(await node.agent).toBe('SIGKILL');
    expect(await node.service).toBe('SIGKILL');
    expect((await fence(`${base}action=status\n`)).code).toBe(2);
  });

  it('powers a node on by leaving the request the demo command watches for', async () => {
    mkdirSync(join(dir, 'node3', 'run'), { recursive: true });
    const result = await fence(`demo_dir=${dir}\nnodename=node3\naction=on\n`);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'node3', 'power-on'))).toBe(true);
  });

  it('lists the demo nodes and refuses what is not one, saying why', async () => {
    const list = await fence(`demo_dir=${dir}\naction=list\n`);
    expect(list.stdout.split('\n').filter(Boolean).sort()).toEqual(['node2,', 'node3,']);
    const missing = await fence(`port=node2\naction=off\n`);
    expect(missing).toMatchObject({ code: 1, stderr: 'fence_demo: demo_dir= is required\n' });
    const outside = await fence(`demo_dir=${dir}\nport=..\naction=off\n`);
    expect(outside.stderr).toContain('port=.. is not a demo node name');
    const unknown = await fence(`demo_dir=${dir}\nport=node9\naction=off\n`);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain('node9 is not a demo node');
  });
});
