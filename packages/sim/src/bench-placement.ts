import { fileURLToPath } from 'node:url';
import { emptyResourceManagerState, parseClusterConf, placeAll, readRmConfig } from '@quorate/core';
import { runnerImport } from 'vite';

/**
 * The placement line of `pnpm bench:core`: one full re-evaluation (`placeAll` from cold, every
 * service placed) on the 32-node, 1,000-service cluster.conf that `bench:config` uses. The
 * generator is TypeScript outside any build, so Vite's module runner loads it.
 */
const GENERATOR = fileURLToPath(new URL('../../core/bench/large-config.ts', import.meta.url));

export async function placementLine(runs: number): Promise<string> {
  const { module } = await runnerImport<{ largeConfigXml: () => string }>(GENERATOR, {
    configFile: false,
    logLevel: 'silent',
  });
  const config = readRmConfig(parseClusterConf(module.largeConfigXml()));
  const input = { config, members: config.nodes, state: emptyResourceManagerState, atMs: 1 };
  const samples: number[] = [];
  let started = 0;
  // Warm-up runs let the JIT settle before anything is measured.
  for (let i = 0; i < runs + 5; i++) {
    const before = performance.now();
    started = placeAll(input).intents.length;
    if (i >= 5) samples.push(performance.now() - before);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number): string =>
    samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!.toFixed(2);
  return `placement, ${config.nodes.length} nodes x ${config.services.length} services (placeAll from cold, ${started} starts, ${runs} runs): median ${at(50)} ms, p99 ${at(99)} ms`;
}
