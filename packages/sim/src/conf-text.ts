import type { VotingConfig } from '@quorate/core';

/**
 * A runnable cluster.conf for a simulated voting configuration, at `version`: one node per
 * voter with its votes, fence_manual for everyone, and the expected votes and token of `config`.
 */
export function clusterConfText(config: VotingConfig, version: number, postJoinDelayS = 6): string {
  const nodes = config.voters.map(
    (voter, i) =>
      `    <clusternode name="${voter.id}" nodeid="${i + 1}" votes="${voter.votes}">\n` +
      '      <fence>\n        <method name="single">\n' +
      `          <device name="manual" nodename="${voter.id}"/>\n` +
      '        </method>\n      </fence>\n    </clusternode>',
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
    '  <fencedevices>',
    '    <fencedevice name="manual" agent="fence_manual"/>',
    '  </fencedevices>',
    '</cluster>',
    '',
  ].join('\n');
}
