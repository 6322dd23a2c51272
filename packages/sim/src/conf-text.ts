import type { VotingConfig } from '@quorate/core';
import { fenceXml, layoutXml, type ServiceLayout } from './service-layout.js';

/**
 * A runnable cluster.conf for a simulated voting configuration, at `version`: one node per
 * voter with its votes, the expected votes and token of `config`, and with a `layout` its
 * services, failover domains and fence devices (without one, fence_manual for everyone).
 */
export function clusterConfText(
  config: VotingConfig,
  version: number,
  postJoinDelayS = 6,
  layout: ServiceLayout | null = null,
): string {
  const nodes = config.voters.map((voter, i) =>
    [
      `    <clusternode name="${voter.id}" nodeid="${i + 1}" votes="${voter.votes}">`,
      ...fenceXml(layout, voter.id),
      '    </clusternode>',
    ].join('\n'),
  );
  const expected = config.twoNode
    ? ' two_node="1" expected_votes="1"'
    : (config.expectedVotes > 0 ? ` expected_votes="${config.expectedVotes}"` : '') +
      (config.waitForAll ? ' wait_for_all="1"' : '');
  return [
    '<?xml version="1.0"?>',
    `<cluster name="sim" config_version="${version}">`,
    `  <cman${expected}/>`,
    `  <totem token="${config.tokenMs}"/>`,
    `  <fence_daemon post_join_delay="${postJoinDelayS}"/>`,
    '  <clusternodes>',
    ...nodes,
    '  </clusternodes>',
    ...layoutXml(
      layout,
      config.voters.map((v) => v.id),
    ),
    '</cluster>',
    '',
  ].join('\n');
}
