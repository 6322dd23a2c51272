import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { scratchDir } from '../../testing/ccs-tool.js';

// The committed launcher runs the *built* code: the test command (`pnpm test`) builds first.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const launcher = join(repoRoot, 'bin/ccs_tool');
const built = join(repoRoot, 'packages/cli/dist/ccs-tool/main.js');

function run(dir: string, ...argv: string[]) {
  const r = spawnSync(launcher, argv, {
    env: { PATH: process.env.PATH, QUORATE_CONFIG_DIR: dir },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/ccs_tool', () => {
  test('runs the built ccs_tool and passes its exit status through', () => {
    expect(existsSync(built), `${built} is missing: run "pnpm build" first`).toBe(true);
    const dir = scratchDir();
    expect(run(dir, 'create', 'tcluster')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(run(dir, 'addfence', 'meatware', 'fence_manual').status).toBe(0);
    expect(
      run(dir, 'addnode', '-v', '1', '-n', '1', '-f', 'meatware', 'node1.magedu.com').status,
    ).toBe(0);
    expect(run(dir, 'lsnode').stdout).toContain(
      'Cluster name: tcluster, config_version: 3\n\nNodename                        Votes Nodeid Fencetype\nnode1.magedu.com                   1    1    meatware\n',
    );
    expect(run(dir, 'delnode', 'node9')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'ccs_tool: /cluster/clusternodes: node "node9" does not exist\n',
    });
    expect(readFileSync(join(dir, 'cluster.conf'), 'utf8')).toContain('config_version="3"');
  });
});
