import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './demo-layout.js';
import { TEST_HOSTS_ENTRY, testHostsRefusal } from './test-host-mode.js';

/** `pnpm demo -- ARGS` after the launcher's build step: the built demo's main. */
const demoArgs = (args: readonly string[]) => [
  '--input-type=module',
  '-e',
  `const { demoMain } = await import(${JSON.stringify(join(repositoryRoot, 'apps/demo/dist/main.js'))});
process.exitCode = await demoMain(process.argv.slice(1));`,
  '--',
  ...args,
];
const canDropRoot = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

describe('pnpm demo -- --test-hosts', () => {
  it('runs for root only, and tells anyone else why and what to do instead', () => {
    expect(testHostsRefusal(0)).toBeUndefined();
    for (const uid of [1000, undefined]) {
      expect(testHostsRefusal(uid)).toMatch(/^--test-hosts needs root: .*loopback demo/);
    }
  });

  it('starts e2e/ as its own process: the entry point is built there and prints its usage', () => {
    const help = spawnSync(process.execPath, [TEST_HOSTS_ENTRY, '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^usage: pnpm demo -- --test-hosts \[--console-port N\]/);
    const wrong = spawnSync(process.execPath, [TEST_HOSTS_ENTRY, '--console-port', 'x'], {
      encoding: 'utf8',
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--console-port: x is not a TCP port/);
  });

  // As `nobody`: the real check of the user, before anything is built or started.
  it.skipIf(!canDropRoot)('as a normal user it stops at once with the reason (exit 2)', () => {
    const dropped = ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath];
    const run = spawnSync('setpriv', [...dropped, ...demoArgs(['--', '--test-hosts'])], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toBe(`quorate demo: ${testHostsRefusal(65534)}\n`);
    expect(run.stdout).toBe('');
  });
});
