import { describe, expect, it } from 'vitest';
import { runSeeds } from './run-seeds.js';
import { describeFailure } from './seed-report.js';

/**
 * Declares the CI check for one range of seeds: no violation, no liveness failure, and
 * coverage showing the run really tried (elections, partitions, crashes, config changes).
 */
export function describeSeedRange(from: number, count: number): void {
  const label = `seeds ${from}-${from + count - 1}`;
  describe(`simulator, ${label}`, () => {
    it('finds no safety violation and no liveness failure', () => {
      const failures: string[] = [];
      const summary = runSeeds({
        count,
        from,
        onFailure: (result) => failures.push(describeFailure(result)),
      });
      expect(failures.join('\n\n')).toBe('');
      expect(summary.seeds).toBe(count);
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
      // two_node pairs fenced their peer and led alone after the fence entry.
      expect(summary.coverage.loneTerms).toBeGreaterThan(40);
      // Nodes left cleanly and came back.
      expect(summary.coverage.leaves).toBeGreaterThan(500);
      console.log(
        `${label}: ${JSON.stringify(summary.coverage)} max_convergence_ms=${summary.maxConvergedAfterMs}`,
      );
    }, 170_000);
  });
}
