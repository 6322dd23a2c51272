import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterStatus, ControlAction, ControlResult } from '@quorate/protocol';
import { describe, expect, onTestFinished, test } from 'vitest';
import { serveControlSocket } from './control-server.js';

// The committed launchers in bin/ run the *built* commands (the test command builds first)
// against a control socket served by this process.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const built = join(repoRoot, 'packages/cli/dist/launcher.js');

const status: ClusterStatus = {
  cluster: {
    name: 'tcluster',
    id: 7,
    generation: 2,
    configVersion: 5,
    agentVersion: '6.2.0',
    twoNode: false,
  },
  quorum: { quorate: true, totalVotes: 1, expectedVotes: 1, quorum: 1, leader: 'node1' },
  local: { name: 'node1', nodeId: 1, votes: 1, membership: 'member', addresses: [] },
  members: [
    {
      name: 'node1',
      nodeId: 1,
      votes: 1,
      online: true,
      local: true,
      estranged: false,
      rgmanager: true,
      incarnation: 1,
      joinedMs: 0,
      addresses: [],
    },
    {
      name: 'node2',
      nodeId: 2,
      votes: 1,
      online: false,
      local: false,
      estranged: false,
      rgmanager: false,
      incarnation: 1,
      joinedMs: null,
      addresses: [],
    },
  ],
  resourceManager: { running: true, locked: false },
  services: [],
};

function answer(action: ControlAction): ControlResult {
  switch (action.type) {
    case 'rm':
      return { type: 'rm', code: 0, message: 'Success', owner: 'node1' };
    case 'node':
      return { type: 'node', ok: true, message: '' };
    case 'fence-ack':
      return { type: 'fence-ack', ok: true, message: '' };
    case 'config-update':
      return { type: 'config-update', accepted: true, previousVersion: 5, version: 6 };
  }
}

function launch(name: string, argv: string[], env: Record<string, string>, input = '') {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(join(repoRoot, 'bin', name), argv, {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('bin/ launchers of the online commands', () => {
  test('run the built commands against the agent and pass their exit status through', async () => {
    expect(existsSync(built), `${built} is missing: run "pnpm build" first`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'quorate-bin-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const server = await serveControlSocket({
      path: join(dir, 'ricci.sock'),
      provider: {
        status: () => status,
        clusterConf: () => null,
        request: async (action) => answer(action),
      },
    });
    onTestFinished(() => server.close());
    const env = { QUORATE_SOCKET: server.path };

    const clustat = await launch('clustat', [], env);
    expect(clustat.status).toBe(0);
    expect(clustat.stdout).toContain('Member Status: Quorate\n');
    expect((await launch('clustat', ['-m', 'node2'], env)).status).toBe(1);
    expect(await launch('clusvcadm', ['-r', 'web', '-m', 'node1'], env)).toEqual({
      status: 0,
      stdout:
        'Trying to relocate service:web to node1...Success\nservice:web is now running on node1\n',
      stderr: '',
    });
    expect((await launch('cman_tool', ['status'], env)).stdout).toContain('\nNodes: 1\n');
    const ack = await launch('fence_ack_manual', ['node2'], env, 'absolutely\n');
    expect(ack.status).toBe(0);
    expect(ack.stdout.endsWith('Continue [NO/absolutely]? Done\n')).toBe(true);
    const file = join(dir, 'new.conf');
    writeFileSync(file, '<cluster name="tcluster" config_version="6"/>\n');
    expect((await launch('ccs_tool', ['update', file], env)).stdout).toBe(
      'Config file updated from version 5 to 6\n',
    );

    const none = { QUORATE_SOCKET: join(dir, 'none.sock') };
    expect((await launch('clustat', [], none)).status).toBe(1);
    expect((await launch('clusvcadm', ['-e', 'web'], none)).stdout).toBe(
      'Could not connect to cluster service\n',
    );
  });
});
