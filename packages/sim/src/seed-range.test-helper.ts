import { describe, expect, it } from 'vitest';
import { runSeeds } from './run-seeds.js';
import { describeFailure } from './seed-report.js';

/** Simulated time with faults on, per CI seed (`pnpm sim` uses 60 s). */
export const CI_FAULT_MS = 20_000;

/**
 * Declares the CI check for one range of seeds, each with services, resource agent faults,
 * fence devices of every kind and an administrator's requests: no violation, no liveness
 * failure, and coverage showing the run really tried. The bounds are about 70% of what a
 * range of 250 seeds measured.
 */
export function describeSeedRange(from: number, count: number): void {
  const label = `seeds ${from}-${from + count - 1}`;
  describe(`simulator, ${label}`, () => {
    it('finds no safety violation and no liveness failure', () => {
      const failures: string[] = [];
      const summary = runSeeds({
        count,
        from,
        faultMs: CI_FAULT_MS,
        onFailure: (result) => failures.push(describeFailure(result)),
      });
      expect(failures.join('\n\n')).toBe('');
      expect(summary.seeds).toBe(count);
      const c = summary.coverage;
      // The consensus was tried hard: elections, partitions, crashes, torn writes, commits.
      expect(c.elections).toBeGreaterThan(700);
      expect(c.partitions).toBeGreaterThan(650);
      expect(c.crashes).toBeGreaterThan(750);
      expect(c.tornWrites).toBeGreaterThan(100);
      expect(c.commits).toBeGreaterThan(9000);
      // cluster.conf changes committed and refused, compactions and snapshots shipped to laggards.
      expect(c.configVersions).toBeGreaterThan(500);
      expect(c.configRefusals).toBeGreaterThan(650);
      expect(c.snapshotsInstalled).toBeGreaterThan(200);
      // Nodes removed and added back, and votes changed, by joint consensus.
      expect(c.votingChanges).toBeGreaterThan(110);
      // two_node pairs fenced their peer and led alone after the fence entry.
      expect(c.loneTerms).toBeGreaterThan(18);
      // Nodes left cleanly and came back.
      expect(c.leaves).toBeGreaterThan(190);
      // Services: agent operations with failures and hangs, crashed resources, starts and
      // moves, fence devices run, manual fences acknowledged, emergency stops, admin requests.
      expect(c.agentOps).toBeGreaterThan(25_000);
      expect(c.agentFaults).toBeGreaterThan(800);
      expect(c.resourceCrashes).toBeGreaterThan(60);
      expect(c.serviceStarts).toBeGreaterThan(3500);
      expect(c.serviceMoves).toBeGreaterThan(450);
      expect(c.controllerFences).toBeGreaterThan(280);
      expect(c.manualAcks).toBeGreaterThan(40);
      expect(c.emergencyStops).toBeGreaterThan(2800);
      expect(c.adminRequests).toBeGreaterThan(1200);
      console.log(
        `${label}: ${JSON.stringify(c)} max_convergence_ms=${summary.maxConvergedAfterMs} max_service_settle_ms=${summary.maxServicesSettledAfterMs}`,
      );
    }, 300_000);
  });
}
