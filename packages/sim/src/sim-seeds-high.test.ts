import { describe, expect, it } from 'vitest';
import { runSeeds } from './run-seeds.js';
import { describeFailure } from './seed-report.js';

// CI runs seeds 1-1000 (3, 4 and 5 nodes by seed % 3, every fault on, 60 simulated seconds
// each plus the liveness phase), split over two files so vitest runs the halves in parallel.
// This file runs seeds 501-1000; sim-seeds-low.test.ts runs the other half.
describe('simulator, seeds 501-1000', () => {
  it('finds no safety violation and no liveness failure', () => {
    const failures: string[] = [];
    const summary = runSeeds({
      count: 500,
      from: 501,
      onFailure: (result) => failures.push(describeFailure(result)),
    });
    expect(failures.join('\n\n')).toBe('');
    expect(summary.seeds).toBe(500);
    // The run must have been trying: hundreds of elections, partitions and crashes.
    expect(summary.coverage.elections).toBeGreaterThan(1000);
    expect(summary.coverage.partitions).toBeGreaterThan(1000);
    expect(summary.coverage.crashes).toBeGreaterThan(1000);
    expect(summary.coverage.tornWrites).toBeGreaterThan(100);
    expect(summary.coverage.commits).toBeGreaterThan(20_000);
    // cluster.conf changes committed and refused, compactions and snapshots shipped to laggards.
    expect(summary.coverage.configVersions).toBeGreaterThan(1000);
    expect(summary.coverage.configRefusals).toBeGreaterThan(1000);
    expect(summary.coverage.snapshotsInstalled).toBeGreaterThan(300);
    // Nodes removed and added back, and votes changed, by joint consensus.
    expect(summary.coverage.votingChanges).toBeGreaterThan(200);
    console.log(
      `seeds 501-1000: ${JSON.stringify(summary.coverage)} max_convergence_ms=${summary.maxConvergedAfterMs}`,
    );
  }, 170_000);
});
