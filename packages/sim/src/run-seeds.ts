import { addCoverage, type Coverage, emptyCoverage } from './coverage.js';
import { type AnyPlantedBug, runSeed, type SeedResult } from './run-seed.js';

export interface SeedsOptions {
  readonly count: number;
  readonly from: number;
  readonly nodes?: number | undefined;
  readonly plant?: AnyPlantedBug | null;
  readonly faultMs?: number;
  readonly services?: boolean;
  /** With a plant, stop at the first seed that catches it. */
  readonly stopAtFirstCatch?: boolean;
  readonly onFailure?: (result: SeedResult) => void;
}

export interface SeedsSummary {
  seeds: number;
  violations: number;
  livenessFailures: number;
  coverage: Coverage;
  firstCaughtSeed: number | null;
  maxConvergedAfterMs: number;
  /** The slowest rule-6 settling of services after faults stopped. */
  maxServicesSettledAfterMs: number;
  failingSeeds: number[];
}

export function runSeeds(options: SeedsOptions): SeedsSummary {
  const summary: SeedsSummary = {
    seeds: 0,
    violations: 0,
    livenessFailures: 0,
    coverage: emptyCoverage(),
    firstCaughtSeed: null,
    maxConvergedAfterMs: 0,
    maxServicesSettledAfterMs: 0,
    failingSeeds: [],
  };
  for (let seed = options.from; seed < options.from + options.count; seed++) {
    const result = runSeed({
      seed,
      plant: options.plant ?? null,
      ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
      ...(options.faultMs !== undefined ? { faultMs: options.faultMs } : {}),
      ...(options.services !== undefined ? { services: options.services } : {}),
    });
    summary.seeds++;
    addCoverage(summary.coverage, result.coverage);
    summary.maxConvergedAfterMs = Math.max(
      summary.maxConvergedAfterMs,
      result.convergedAfterMs ?? 0,
    );
    summary.maxServicesSettledAfterMs = Math.max(
      summary.maxServicesSettledAfterMs,
      result.servicesSettledAfterMs ?? 0,
    );
    const failed = result.violations.length > 0 || result.livenessFailure !== null;
    if (result.violations.length > 0) summary.violations++;
    if (result.livenessFailure !== null) summary.livenessFailures++;
    if (failed) {
      summary.failingSeeds.push(seed);
      summary.firstCaughtSeed ??= seed;
      options.onFailure?.(result);
      if (options.stopAtFirstCatch && options.plant) break;
    }
  }
  return summary;
}
