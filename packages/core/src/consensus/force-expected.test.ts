import { describe, expect, it } from 'vitest';
import { configFromEntryData } from './config-proposal.js';
import { confText, World } from './test-world.js';
import { votingConfigOf } from './voting-rule.js';

/** n1, n2, n3 formed on version 1; then n2 and n3 die and n1 is left inquorate. */
function strandedN1(): World {
  const files = { n1: confText(1), n2: confText(1), n3: confText(1) };
  const world = new World(['n1', 'n2', 'n3'], {}, false, { files });
  world.tick(20);
  world.propose('n1', 'before');
  world.tick(2);
  world.crash('n2');
  world.crash('n3');
  world.tick(30);
  expect(world.node('n1').status()).toMatchObject({ quorate: false, configVersion: 1 });
  return world;
}

describe('cman_tool expected -e N while inquorate', () => {
  it('is refused while an absent voter is neither fenced nor acknowledged, naming it', () => {
    const world = strandedN1();
    expect(world.node('n1').forceExpectedVotes(1)).toEqual({
      accepted: false,
      rule: 'unfenced',
      message:
        'cman_tool expected -e 1 refused while inquorate: n2 and n3 have not been fenced or acknowledged; fence them or run fence_ack_manual first',
    });
    world.input('n1', { type: 'fence-confirmed', node: 'n2', incarnation: 1 });
    const refused = world.node('n1').forceExpectedVotes(1);
    expect(refused).toMatchObject({ accepted: false, rule: 'unfenced' });
    expect(!refused.accepted && refused.message).toContain(': n3 has not been fenced');
    expect(world.node('n1').status().role).not.toBe('leader');
  });

  it('after fences and acknowledgements starts a new epoch whose first entries are the forced file', () => {
    const world = strandedN1();
    world.input('n1', { type: 'fence-confirmed', node: 'n2', incarnation: 1 });
    world.input('n1', { type: 'fence-acknowledged', node: 'n3' });
    const oldTerm = world.node('n1').status().term;
    expect(world.node('n1').forceExpectedVotes(1)).toMatchObject({ accepted: true, version: 4 });
    world.flush('n1');
    const status = world.node('n1').status();
    expect(status).toMatchObject({ role: 'leader', quorate: true, configVersion: 4 });
    expect(status.term).toBe(oldTerm + 1);
    const first = world.node('n1').entryAt(status.lastIndex - 1)!;
    expect(first).toMatchObject({ term: status.term, kind: 'config' });
    expect(world.node('n1').entryAt(status.lastIndex - 2)?.term).toBeLessThan(status.term);
    const forced = votingConfigOf(configFromEntryData(first.data).text);
    expect(forced.expectedVotes).toBe(1);
    expect(forced.voters).toEqual([
      { id: 'n1', votes: 1 },
      { id: 'n2', votes: 0 },
      { id: 'n3', votes: 0 },
    ]);
    expect(world.eventsOf('n1', 'expected-votes-forced')).toEqual([
      { type: 'expected-votes-forced', expectedVotes: 1, version: 4, absent: ['n2', 'n3'] },
    ]);
    world.propose('n1', 'alone');
    expect(world.appStates.get('n1')).toBe('before;alone;');
  });

  it('an old voter that returns is caught up from the new epoch, never merged', () => {
    const world = strandedN1();
    world.input('n1', { type: 'fence-confirmed', node: 'n2', incarnation: 1 });
    world.input('n1', { type: 'fence-confirmed', node: 'n3', incarnation: 1 });
    world.node('n1').forceExpectedVotes(1);
    world.flush('n1');
    world.propose('n1', 'alone');
    world.start('n2');
    world.tick(5);
    expect(world.node('n2').status()).toMatchObject({
      leader: 'n1',
      configVersion: 4,
      voter: false,
      commit: world.node('n1').status().commit,
    });
    expect(world.appStates.get('n2')).toBe('before;alone;');
    expect(world.files.get('n2')?.at(-1)?.version).toBe(4);
  });

  it('while quorate it is an ordinary committed change at the leader', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, false, { files: { n1: confText(1) } });
    world.tick(20);
    expect(world.node('n1').forceExpectedVotes(5)).toMatchObject({ accepted: true, version: 2 });
    expect(world.node('n2').forceExpectedVotes(5)).toMatchObject({ rule: 'not-leader' });
  });
});
