import type { ClusterConf, QuorumdConf } from './model.js';
import { parseInteger } from './read.js';
import {
  attrPath,
  checkBoolean,
  checkInteger,
  type IssueSink,
  missing,
} from './validate-values.js';

/** qdiskd advertises nodes − 1 votes when `votes` is not set ("all but one"). */
function quorumDiskVotes(conf: ClusterConf, quorumd: QuorumdConf): number {
  return quorumd.votes ?? Math.max(conf.nodes.length - 1, 1);
}

function totalVotes(conf: ClusterConf): number {
  let sum = 0;
  for (const node of conf.nodes) sum += Math.max(node.votes, 0);
  if (conf.quorumd) sum += Math.max(quorumDiskVotes(conf, conf.quorumd), 0);
  return sum;
}

function validateTwoNode(conf: ClusterConf, sink: IssueSink): void {
  const cman = conf.cman!;
  const where = attrPath(cman, 'two_node');
  const count = conf.nodes.length;
  if (count > 2) {
    sink.error(where, 'two-node-count', `two_node is set but the cluster has ${count} nodes`);
  } else if (count < 2) {
    sink.runnableError(
      where,
      'two-node-count',
      `two_node is set but the cluster has ${count} node${count === 1 ? '' : 's'}; ` +
        'it needs exactly two',
    );
  }
  for (const node of conf.nodes) {
    if (node.votes !== 1 && parseInteger(node.attrs.votes) !== undefined) {
      sink.error(
        attrPath(node, 'votes'),
        'two-node-votes',
        `with two_node each node has exactly one vote; ${node.name} has ${node.votes}`,
      );
    }
  }
  const expected = cman.expectedVotes;
  if (expected !== undefined && expected !== 1) {
    sink.error(
      attrPath(cman, 'expected_votes'),
      'two-node-expected-votes',
      `with two_node expected_votes must be 1, not ${expected}`,
    );
  }
  if (conf.quorumd) {
    sink.error(
      where,
      'two-node-with-quorumd',
      'two_node and a quorum disk (<quorumd>) exclude each other: with a quorum disk, ' +
        'unset two_node and give the disk one vote',
    );
  }
}

/** DESIGN §2: Q = floor(max(E, V) / 2) + 1, never from the votes a partition happens to see. */
function validateExpectedVotes(conf: ClusterConf, sink: IssueSink): void {
  const cman = conf.cman;
  const total = totalVotes(conf);
  if (conf.nodes.length > 0 && total === 0) {
    sink.runnableError(
      `${conf.path}/clusternodes`,
      'no-votes',
      'no node has a vote, so the cluster can never be quorate',
    );
  }
  const expected = cman?.expectedVotes;
  if (!cman || expected === undefined || cman.twoNode) return;
  const where = attrPath(cman, 'expected_votes');
  if (expected < total) {
    sink.warning(
      where,
      'expected-votes-below-total',
      `expected_votes ${expected} is below the ${total} votes the nodes` +
        `${conf.quorumd ? ' and the quorum disk' : ''} have; the quorum is computed from ${total}`,
    );
  }
  const quorum = Math.floor(Math.max(expected, total) / 2) + 1;
  if (conf.nodes.length > 0 && quorum > total) {
    sink.runnableError(
      where,
      'quorum-unreachable',
      `expected_votes ${expected} makes the quorum ${quorum} votes, but all nodes together ` +
        `have only ${total}: the cluster could never become quorate`,
    );
  }
}

function validateQuorumdValues(quorumd: QuorumdConf, sink: IssueSink): void {
  const s = { unit: 'seconds' };
  checkInteger(sink, quorumd, 'votes', { min: 0 });
  checkInteger(sink, quorumd, 'interval', { min: 1, ...s });
  checkInteger(sink, quorumd, 'tko', { min: 1 });
  checkInteger(sink, quorumd, 'min_score', { min: 0 });
  checkInteger(sink, quorumd, 'priority', { min: 0 });
  checkInteger(sink, quorumd, 'max_error_cycles', { min: 0 });
  for (const flag of ['reboot', 'allow_kill', 'stop_cman', 'paranoid', 'master_wins']) {
    checkBoolean(sink, quorumd, flag);
  }
  if (missing(quorumd, 'device') && missing(quorumd, 'label')) {
    sink.runnableError(
      quorumd.path,
      'quorumd-device-required',
      'the quorum disk needs a device or a label to find its disk',
    );
  }
  let scoreSum = 0;
  for (const h of quorumd.heuristics) {
    if (missing(h, 'program')) {
      sink.error(attrPath(h, 'program'), 'missing-attribute', '<heuristic> needs a program');
    }
    scoreSum += checkInteger(sink, h, 'score', { min: 1 }) ?? 1;
    checkInteger(sink, h, 'interval', { min: 1, ...s });
    checkInteger(sink, h, 'tko', { min: 1 });
  }
  const minScore = quorumd.minScore;
  if (minScore !== undefined && quorumd.heuristics.length > 0 && minScore > scoreSum) {
    sink.error(
      attrPath(quorumd, 'min_score'),
      'quorumd-min-score-unreachable',
      `min_score ${minScore} is more than all heuristics together can score (${scoreSum})`,
    );
  }
}

/** qdisk (qdisk.5): every node has one vote; the disk usually has nodes − 1. */
function validateQuorumd(conf: ClusterConf, sink: IssueSink): void {
  const quorumd = conf.quorumd;
  if (!quorumd) return;
  validateQuorumdValues(quorumd, sink);
  for (const node of conf.nodes) {
    if (node.votes !== 1 && parseInteger(node.attrs.votes) !== undefined) {
      sink.error(
        attrPath(node, 'votes'),
        'quorumd-node-votes',
        `with a quorum disk every node has exactly one vote; ${node.name} has ${node.votes}`,
      );
    }
  }
  const votes = quorumd.votes;
  const nodes = conf.nodes.length;
  if (votes === 0) {
    sink.warning(attrPath(quorumd, 'votes'), 'quorumd-votes', 'the quorum disk has no vote');
  } else if (votes !== undefined && nodes > 1 && votes > nodes - 1) {
    sink.warning(
      attrPath(quorumd, 'votes'),
      'quorumd-votes',
      `the quorum disk has ${votes} votes; with ${nodes} nodes it should have ${nodes - 1} ` +
        '(nodes − 1), or a lone node with the disk outvotes all the others',
    );
  }
  // RHEL's rule of thumb: cman's token timeout at least twice qdiskd's (interval × tko).
  const qdiskTimeoutMs = (quorumd.interval ?? 1) * (quorumd.tko ?? 10) * 1000;
  const tokenMs = conf.totem?.tokenMs ?? 1000;
  if (tokenMs < 2 * qdiskTimeoutMs) {
    sink.warning(
      conf.totem ? attrPath(conf.totem, 'token') : `${conf.path}/totem/@token`,
      'quorumd-timeout-exceeds-token',
      `the quorum disk needs ${qdiskTimeoutMs / 1000} s (interval × tko) to declare a node ` +
        `dead, but the totem token is ${tokenMs} ms: set token to at least ${2 * qdiskTimeoutMs}`,
    );
  }
}

function warnTwoNodesWithoutTwoNode(conf: ClusterConf, sink: IssueSink): void {
  if (conf.nodes.length !== 2 || conf.cman?.twoNode || conf.quorumd) return;
  if (conf.nodes.some((n) => n.votes !== 1)) return;
  sink.warning(
    conf.cman ? attrPath(conf.cman, 'two_node') : `${conf.path}/cman/@two_node`,
    'two-nodes-without-two-node',
    'a cluster of two one-vote nodes without two_node loses quorum when either node fails; ' +
      'set two_node="1" and expected_votes="1"',
  );
}

export function validateQuorum(conf: ClusterConf, sink: IssueSink): void {
  if (conf.cman?.twoNode) validateTwoNode(conf, sink);
  validateExpectedVotes(conf, sink);
  validateQuorumd(conf, sink);
  warnTwoNodesWithoutTwoNode(conf, sink);
}
