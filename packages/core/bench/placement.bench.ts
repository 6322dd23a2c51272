// `pnpm bench:config`: a full placement re-evaluation at 32 nodes × 1,000 services (goal: under
// 10 ms). Everything stays in one ordered domain, so every service scores all 32 nodes.
import { bench, describe } from 'vitest';
import { parseClusterConf } from '../src/cluster-conf/read.js';
import { placeAll } from '../src/resource-manager/evaluate.js';
import { emptyResourceManagerState } from '../src/resource-manager/model.js';
import { placeService } from '../src/resource-manager/placement.js';
import { applyReport } from '../src/resource-manager/reports.js';
import { readRmConfig } from '../src/resource-manager/rm-config.js';
import { largeConfigXml } from './large-config.js';

const conf = parseClusterConf(largeConfigXml());
const config = readRmConfig(conf);
const members = config.nodes;
const cold = { config, members, state: emptyResourceManagerState, atMs: 1 };

/** Every service started where the first evaluation put it. */
function steadyState() {
  const first = placeAll(cold);
  let state = first.state;
  for (const intent of first.intents) {
    const report = { op: 'start' as const, service: intent.service, node: intent.node, ok: true };
    state = applyReport({ config, members, state, atMs: 2 }, report).state;
  }
  return state;
}

const running = steadyState();
const withoutN1 = members.filter((n) => n !== 'n1');
console.log(`placement: ${members.length} nodes, ${config.services.length} services`);

describe('placement, 32 nodes × 1,000 services', () => {
  bench('readRmConfig (compile the config)', () => {
    readRmConfig(conf);
  });
  bench('placeAll from cold (1,000 starts)', () => {
    placeAll(cold);
  });
  bench('placeAll steady state, member transition (failback check for all)', () => {
    placeAll({ config, members, state: running, atMs: 3, memberTransition: true });
  });
  bench('placeAll after losing n1 (take-overs)', () => {
    placeAll({ config, members: withoutN1, state: running, atMs: 3, memberTransition: true });
  });
  bench('placeService (what-if, one service)', () => {
    placeService({ config, members, state: running }, 'service:s500');
  });
});
