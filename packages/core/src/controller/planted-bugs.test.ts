// Each planted bug switches off one safety mechanism of the controller; the outside checkers
// must notice it in a scenario that provokes it, and the same scenario without the bug must
// pass them.
import { describe, expect, test } from 'vitest';
import { testConf } from './test-confs.js';
import { ControllerWorld } from './test-world.js';
import type { ControllerBug } from './types.js';

function started(world: ControllerWorld): ControllerWorld {
  for (const id of world.ids) world.boot(id);
  world.tick(60);
  return world;
}

type Scenario = (plant: ControllerBug | null) => ControllerWorld;

/** The owner is cut off and the fence is slow: recovery must wait for it. */
const slowFencePartition: Scenario = (plant) => {
  const world = started(new ControllerWorld(testConf({ prefer: 'n3' }), { plant }));
  world.fences.setKind('pdu', 'slow');
  world.isolate('n3');
  world.tick(150);
  return world;
};

/** The owner's agent restarts while its resources run: nothing starts from the replayed log. */
const restartedOwner: Scenario = (plant) => {
  const world = started(new ControllerWorld(testConf({ prefer: 'n2' }), { plant }));
  world.restart('n2');
  world.tick(60);
  return world;
};

/** A relocation whose stop fails: the service must stay (failed) where it may still run. */
const failedStop: Scenario = (plant) => {
  const world = started(new ControllerWorld(testConf({ prefer: 'n2' }), { plant }));
  world.agents.fault('n2', 'script:app1', 'stop', 'fail');
  world.step('n1', {
    type: 'rm-request',
    id: 'r1',
    request: { kind: 'relocate', service: 'service:svc1' },
  });
  world.tick(60);
  return world;
};

/**
 * The owner is fenced and comes back (a new incarnation) and takes its service back; then it is
 * cut off: the fence record of its first incarnation must not count for the second loss.
 */
const lostTwice: Scenario = (plant) => {
  const world = started(
    new ControllerWorld(testConf({ prefer: 'n2' }), { plant, rebootTicks: 20 }),
  );
  world.kill('n2');
  world.tick(30);
  world.boot('n2');
  world.tick(100);
  world.fences.setKind('pdu', 'slow');
  world.isolate('n2');
  world.tick(150);
  return world;
};

const cases: ReadonlyArray<[ControllerBug, Scenario, string]> = [
  ['recover-before-fence', slowFencePartition, 'rule-2'],
  ['start-from-replayed-log', restartedOwner, 'rule-1'],
  ['ignore-stop-failure', failedStop, 'rule-2'],
  ['accept-old-incarnation-fence', lostTwice, 'rule-2'],
];

describe('planted controller bugs', () => {
  test.each(cases)('%s is caught by the checkers (%#)', (bug, scenario, rule) => {
    const clean = scenario(null);
    expect(clean.checkers.violations, 'the scenario passes without the bug').toEqual([]);
    const planted = scenario(bug);
    const rules = new Set(planted.checkers.violations.map((v) => v.rule));
    expect([...rules]).toContain(rule);
  });
});
