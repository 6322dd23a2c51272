import { describe, expect, it } from 'vitest';
import { parseClusterConf } from '../cluster-conf/read.js';
import { prepareConfig } from './config-proposal.js';
import { quorumVotes } from './quorum.js';
import { confText, World } from './test-world.js';
import {
  quorumReachableAfter,
  removeVotesPlan,
  restoreVotesPlan,
  setVotesPlan,
} from './vote-change.js';
import { votingConfigOf } from './voting-rule.js';

const withExpected = (text: string, expected: number) =>
  text.replace('<cman/>', `<cman expected_votes="${expected}"/>`);

function planned(plan: { ok: true; text: string | null } | { ok: false; message: string }) {
  if (!plan.ok) throw new Error(plan.message);
  if (plan.text === null) throw new Error('nothing planned');
  return parseClusterConf(plan.text);
}

describe('setVotesPlan (cman_tool votes -v)', () => {
  it("sets the node's votes one config_version up; the quorum follows the new total", () => {
    const plan = setVotesPlan(confText(4), 'n1', 2);
    const conf = planned(plan);
    expect(conf.configVersion).toBe(5);
    expect(conf.nodes.map((n) => n.votes)).toEqual([2, 1, 1]);
    expect(quorumVotes(votingConfigOf(plan.ok && plan.text !== null ? plan.text : ''))).toBe(3);
  });

  it('plans nothing when the votes are already N, and refuses bad input naming the rule', () => {
    expect(setVotesPlan(confText(4), 'n2', 1)).toEqual({ ok: true, text: null });
    expect(setVotesPlan(confText(4), 'n2', -1)).toEqual({
      ok: false,
      message: 'votes: -1 is not a non-negative integer',
    });
    expect(setVotesPlan(confText(4), 'n2', 1.5)).toMatchObject({ ok: false });
    expect(setVotesPlan(confText(4), 'n9', 1)).toEqual({
      ok: false,
      message: 'n9 is not a node of the committed cluster.conf',
    });
  });
});

describe('removeVotesPlan (cman_tool leave remove)', () => {
  it('without expected_votes only zeroes the votes: the total, and so the quorum, drops', () => {
    const plan = removeVotesPlan(confText(4, ['n1', 'n2', 'n3'], { n3: 2 }), 'n3');
    expect(plan).toMatchObject({
      ok: true,
      removed: { node: 'n3', votes: 2, expectedLoweredBy: 0 },
    });
    const conf = planned(plan);
    expect(conf.configVersion).toBe(5);
    expect(conf.nodes.map((n) => n.votes)).toEqual([1, 1, 0]);
    expect(conf.cman?.expectedVotes).toBeUndefined();
  });

  it('lowers a set expected_votes by the node votes, still one config_version up', () => {
    const plan = removeVotesPlan(withExpected(confText(4), 3), 'n3');
    expect(plan).toMatchObject({ ok: true, removed: { votes: 1, expectedLoweredBy: 1 } });
    const conf = planned(plan);
    expect(conf.configVersion).toBe(5);
    expect(conf.cman?.expectedVotes).toBe(2);
    expect(quorumVotes(votingConfigOf(plan.ok && plan.text ? plan.text : ''))).toBe(2);
  });

  it('leaves an expected_votes alone when it does not exceed the new total', () => {
    const plan = removeVotesPlan(withExpected(confText(4, undefined, { n1: 3 }), 2), 'n3');
    expect(plan).toMatchObject({ ok: true, removed: { expectedLoweredBy: 0 } });
    expect(planned(plan).cman?.expectedVotes).toBe(2);
  });

  it('plans nothing for a node that has no votes', () => {
    expect(removeVotesPlan(confText(4, undefined, { n2: 0 }), 'n2')).toMatchObject({
      ok: true,
      text: null,
    });
  });

  it("leaves the validator to refuse the last vote's removal", () => {
    const plan = removeVotesPlan(confText(4, ['n1']), 'n1');
    const text = plan.ok ? plan.text : null;
    const prepared = prepareConfig(
      { version: 4, text: confText(4, ['n1']) },
      {
        kind: 'file',
        text: text ?? '',
      },
    );
    expect(prepared).toMatchObject({ ok: false, rule: 'not-runnable' });
    expect(prepared.ok ? '' : prepared.message).toContain('can never be quorate');
  });
});

describe('restoreVotesPlan (a returning node)', () => {
  it('gives back the votes and the expected votes that leave remove took', () => {
    const before = withExpected(confText(4), 3);
    const removed = removeVotesPlan(before, 'n3');
    if (!removed.ok || removed.text === null) throw new Error('no plan');
    const restored = planned(restoreVotesPlan(removed.text, removed.removed));
    expect(restored.configVersion).toBe(6);
    expect(restored.nodes.map((n) => n.votes)).toEqual([1, 1, 1]);
    expect(restored.cman?.expectedVotes).toBe(3);
  });

  it('changes nothing when an administrator gave the node votes since', () => {
    const record = { node: 'n3', votes: 2, expectedLoweredBy: 0 };
    expect(restoreVotesPlan(confText(6), record)).toEqual({ ok: true, text: null });
  });
});

describe('quorumReachableAfter', () => {
  it('refuses a change after which the members present would not reach the quorum', () => {
    const heavy = planned(setVotesPlan(confText(4), 'n3', 5));
    expect(heavy.configVersion).toBe(5);
    const text = setVotesPlan(confText(4), 'n3', 5);
    const next = text.ok && text.text !== null ? text.text : '';
    expect(quorumReachableAfter(next, ['n1', 'n2', 'n3'])).toEqual({ ok: true });
    expect(quorumReachableAfter(next, ['n1', 'n2'])).toEqual({
      ok: false,
      message:
        "the members' 2 votes would not reach the new quorum of 4, so the cluster would block",
    });
  });
});

describe('a vote change through the log', () => {
  it('commits on the leader and every node then decides with the new quorum', () => {
    const world = new World();
    world.tick(10);
    const leader = world.node('n1');
    expect(leader.status().role).toBe('leader');
    expect(leader.proposeConfig({ kind: 'file', text: confText(1) }).accepted).toBe(true);
    world.flush('n1');
    world.tick(3);
    const plan = setVotesPlan(leader.newestConfigText() ?? '', 'n1', 2);
    const text = plan.ok ? plan.text : null;
    expect(leader.proposeConfig({ kind: 'file', text: text ?? '' })).toMatchObject({
      accepted: true,
      version: 2,
    });
    world.flush('n1');
    world.tick(5);
    for (const id of world.ids) {
      expect(world.node(id).status().configVersion).toBe(2);
      expect(world.files.get(id)?.at(-1)?.text).toBe(text);
    }
  });
});
