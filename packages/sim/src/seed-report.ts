import type { SeedResult } from './run-seed.js';

/** One line for a failing seed: what broke and the command that replays it. */
export function failureLine(result: SeedResult): string {
  const why = result.violations[0] ?? result.livenessFailure ?? 'no failure';
  const plant = result.plant ? ` --plant ${result.plant}` : '';
  const nodes =
    (result.nodesOption === undefined ? '' : ` --nodes ${result.nodesOption}`) +
    (result.faultMsOption === undefined ? '' : ` --fault-ms ${result.faultMsOption}`);
  return `seed=${result.seed} nodes=${result.nodes} FAILED ${why} (replay: pnpm sim --seed ${result.seed}${nodes}${plant} --trace)`;
}

/** The failure line followed by the tail of the seed's event trace. */
export function describeFailure(result: SeedResult, tail = 12): string {
  return [failureLine(result), ...result.trace.slice(-tail).map((line) => `  ${line}`)].join('\n');
}
