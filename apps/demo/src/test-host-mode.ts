// `pnpm demo -- --test-hosts`: the demo on test hosts is e2e/'s entry point
// (e2e/src/demo-test-hosts.ts), run as its own process, since nothing may import e2e/
// (DESIGN.md §1). This checks that it can run, starts it and passes Ctrl-C on to it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './demo-layout.js';

/** The built entry point (bin/quorate-demo builds e2e/ when --test-hosts is given). */
export const TEST_HOSTS_ENTRY = join(repositoryRoot, 'e2e/dist/demo-test-hosts.js');

/** Why the test-host mode cannot start for this user, or undefined when it can. */
export function testHostsRefusal(uid: number | undefined): string | undefined {
  if (uid === 0) return undefined;
  return '--test-hosts needs root: it makes network namespaces, mounts and addresses. Run it as root, or leave --test-hosts out for the loopback demo, which needs no root.';
}

/**
 * Runs the entry point until it ends; resolves with its exit status. It leads its own process
 * group, as every process the demo starts does, so a terminal's Ctrl-C reaches this process,
 * which passes it on: the entry point then removes every test host it made.
 */
export async function runOnTestHosts(consolePort: number): Promise<number> {
  const refusal = testHostsRefusal(process.getuid?.());
  if (refusal !== undefined) {
    process.stderr.write(`quorate demo: ${refusal}\n`);
    return 2;
  }
  if (!existsSync(TEST_HOSTS_ENTRY)) {
    process.stderr.write(
      `quorate demo: ${TEST_HOSTS_ENTRY} is not built: run \`pnpm exec tsc -b e2e\` (bin/quorate-demo does with --test-hosts)\n`,
    );
    return 1;
  }
  const args = [TEST_HOSTS_ENTRY, '--console-port', String(consolePort)];
  const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true });
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', passOn);
  process.on('SIGTERM', passOn);
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        process.stderr.write(`quorate demo: ${TEST_HOSTS_ENTRY}: ${error.message}\n`);
        resolve(1);
      });
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    process.off('SIGINT', passOn);
    process.off('SIGTERM', passOn);
  }
}
