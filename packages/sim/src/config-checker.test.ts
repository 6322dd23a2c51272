import { describe, expect, it } from 'vitest';
import { clusterConfText } from './conf-text.js';
import { ConfigChecker } from './config-checker.js';

const three = {
  voters: [
    { id: 'n1', votes: 1 },
    { id: 'n2', votes: 1 },
    { id: 'n3', votes: 1 },
  ],
  expectedVotes: 0,
  tokenMs: 1000,
};
const two = { ...three, voters: three.voters.slice(0, 2) };
const a = clusterConfText(three, 2);
const b = clusterConfText(two, 4);
const z = clusterConfText(three, 2, 30);

function checker(): { c: ConfigChecker; failures: string[] } {
  const failures: string[] = [];
  return { c: new ConfigChecker((m) => failures.push(m)), failures };
}

describe('ConfigChecker', () => {
  it('accepts growing versions and the same text rewritten after a restart', () => {
    const { c, failures } = checker();
    c.written('n1', [{ index: 3, version: 2, text: a }]);
    c.written('n1', [{ index: 9, version: 4, text: b }]);
    c.written('n1', [{ index: 9, version: 4, text: b }]);
    c.written('n2', [{ index: 9, version: 4, text: b }]);
    expect(failures).toEqual([]);
    expect(c.newestVersion()).toBe(4);
    expect(c.versions()).toBe(2);
    expect(c.votingChangeCount()).toBe(1);
  });

  it('flags a host whose config_version goes back', () => {
    const { c, failures } = checker();
    c.written('n1', [{ index: 9, version: 4, text: b }]);
    c.written('n1', [{ index: 3, version: 2, text: a }]);
    expect(failures).toEqual(['n1 wrote cluster.conf version 2 after version 4']);
  });

  it('flags two texts under one version', () => {
    const { c, failures } = checker();
    c.written('n1', [{ index: 3, version: 2, text: a }]);
    c.written('n2', [{ index: 3, version: 2, text: z }]);
    expect(failures).toEqual(['n2 wrote a different text for cluster.conf version 2']);
  });
});
