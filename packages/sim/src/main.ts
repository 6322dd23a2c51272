import { formatCoverage } from './coverage.js';
import { ALL_PLANTED_BUGS, type AnyPlantedBug, runSeed } from './run-seed.js';
import { runSeeds } from './run-seeds.js';
import { describeFailure, failureLine } from './seed-report.js';
import { rewriteTranscripts } from './transcript-files.js';

interface Args {
  seeds: number;
  from: number;
  nodes: number | undefined;
  plant: AnyPlantedBug | null;
  seed: number | null;
  trace: boolean;
  services: boolean;
  faultMs: number | undefined;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = {
    seeds: 100,
    from: 1,
    nodes: undefined,
    plant: null,
    seed: null,
    trace: false,
    services: true,
    faultMs: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): number => {
      const text = argv[++i];
      const parsed = Number(text);
      if (!Number.isInteger(parsed)) throw new Error(`${flag}: expected an integer, got ${text}`);
      return parsed;
    };
    if (flag === '--seeds') args.seeds = value();
    else if (flag === '--from') args.from = value();
    else if (flag === '--nodes') args.nodes = value();
    else if (flag === '--seed') args.seed = value();
    else if (flag === '--trace') args.trace = true;
    else if (flag === '--no-services') args.services = false;
    else if (flag === '--fault-ms') args.faultMs = value();
    else if (flag === '--plant') {
      const name = argv[++i] as AnyPlantedBug;
      if (!ALL_PLANTED_BUGS.includes(name))
        return `--plant: unknown planted bug ${name} (see --plants)`;
      args.plant = name;
    } else return `unknown argument ${flag}`;
  }
  if (args.nodes !== undefined && (args.nodes < 1 || args.nodes > 9)) {
    return `--nodes: the simulator runs 1 to 9 nodes, got ${args.nodes}`;
  }
  return args;
}

function main(argv: readonly string[]): number {
  if (argv.includes('--plants')) {
    for (const name of ALL_PLANTED_BUGS) console.log(name);
    return 0;
  }
  if (argv.includes('--rewrite-transcripts')) {
    for (const file of rewriteTranscripts()) console.log(`rewrote ${file}`);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  if (args.seed !== null) {
    const result = runSeed({
      seed: args.seed,
      plant: args.plant,
      fullTrace: args.trace,
      services: args.services,
      ...(args.faultMs !== undefined ? { faultMs: args.faultMs } : {}),
      ...(args.nodes !== undefined ? { nodes: args.nodes } : {}),
    });
    for (const line of result.trace) console.log(line);
    console.log(`seed=${result.seed} nodes=${result.nodes} ${formatCoverage(result.coverage)}`);
    return result.violations.length > 0 || result.livenessFailure ? 1 : 0;
  }
  const started = performance.now();
  const summary = runSeeds({
    count: args.seeds,
    from: args.from,
    nodes: args.nodes,
    plant: args.plant,
    services: args.services,
    ...(args.faultMs !== undefined ? { faultMs: args.faultMs } : {}),
    // One line per failing seed; with --trace also the tail of its event trace.
    onFailure: (result) => console.log(args.trace ? describeFailure(result) : failureLine(result)),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `seeds=${summary.seeds} violations=${summary.violations} liveness_failures=${summary.livenessFailures} ${formatCoverage(summary.coverage)}`,
  );
  console.log(
    `wall=${seconds.toFixed(1)}s seeds_per_second=${(summary.seeds / seconds).toFixed(1)} max_convergence_ms=${summary.maxConvergedAfterMs} max_service_settle_ms=${summary.maxServicesSettledAfterMs}`,
  );
  if (args.plant) {
    console.log(
      summary.firstCaughtSeed === null
        ? `plant=${args.plant} NOT caught in ${summary.seeds} seeds`
        : `plant=${args.plant} caught first at seed ${summary.firstCaughtSeed} (${summary.firstCaughtSeed - args.from + 1} seeds)`,
    );
    return summary.firstCaughtSeed === null ? 1 : 0;
  }
  return summary.violations + summary.livenessFailures > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
