// Vitest's global setup (vitest.config.ts): before the test files run, and again after all of
// them have ended, sweep every test-host run whose owning process is gone — a test process that
// crashed or was killed midway leaves its namespaces, mounts and processes behind, and this is
// what removes them even when no later test of the same kind runs. Each sweep is reported, since
// a run left behind by a test that ended normally is a cleanup bug to fix.
import { missingRequirement } from './requirements.js';
import { sweepStaleRuns } from './sweep.js';

async function sweepLeftovers(when: string): Promise<void> {
  if (missingRequirement() !== undefined) return;
  for (const report of await sweepStaleRuns()) {
    if ('error' in report) {
      process.stderr.write(
        `test hosts: ${when}, could not sweep run ${report.runId}: ${report.error}\n`,
      );
      continue;
    }
    const killed = report.killedPids.length;
    const namespaces = report.deletedNamespaces.length;
    process.stderr.write(
      `test hosts: ${when}, swept run ${report.runId} left by a dead test process ` +
        `(${killed} processes killed, ${report.unmounted.length} mounts and ${namespaces} namespaces removed)\n`,
    );
  }
}

export async function setup(): Promise<void> {
  await sweepLeftovers('before the tests');
}

export async function teardown(): Promise<void> {
  await sweepLeftovers('after the tests');
}
