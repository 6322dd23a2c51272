import { describe, expect, it } from 'vitest';
import { parseClusterConf } from '../cluster-conf/read.js';
import { emptyResourceManagerState } from './model.js';
import { readRmConfig } from './rm-config.js';
import { settle } from './settle.js';
import { whatIf } from './what-if.js';

const config = readRmConfig(
  parseClusterConf(`<cluster name="c" config_version="1">
  <clusternodes>
    <clusternode name="node1" nodeid="1"/>
    <clusternode name="node2" nodeid="2"/>
    <clusternode name="node3" nodeid="3"/>
  </clusternodes>
  <rm>
    <failoverdomains>
      <failoverdomain name="web" ordered="1" restricted="1">
        <failoverdomainnode name="node1" priority="1"/>
        <failoverdomainnode name="node3" priority="2"/>
      </failoverdomain>
    </failoverdomains>
    <service name="webservice" domain="web"/>
    <service name="db" exclusive="1"/>
    <service name="app" depend="service:db"/>
  </rm>
</cluster>`),
);
const members = ['node1', 'node2', 'node3'];
/** The cluster as it runs: every service started where the leader put it. */
const running = settle(
  { config, members, state: emptyResourceManagerState, atMs: 0, memberTransition: true },
  () => true,
).state;
const owners = (result: ReturnType<typeof whatIf>) =>
  Object.fromEntries(result.services.map((s) => [s.service, `${s.after.state}@${s.after.owner}`]));

describe('whatIf', () => {
  it('changes nothing when nothing happens', () => {
    const result = whatIf({ config, members, state: running });
    for (const s of result.services) expect(s.after).toEqual(s.before);
    expect(owners(result)).toEqual({
      'service:webservice': 'started@node1',
      'service:db': 'started@node2',
      'service:app': 'started@node3',
    });
  });

  it("sends a failed node's service to the next node of its ordered domain", () => {
    const result = whatIf({ config, members, state: running, failNodes: ['node1'] });
    const web = result.services.find((s) => s.service === 'service:webservice');
    expect(web?.after).toEqual({ state: 'started', owner: 'node3' });
    expect(web?.reason).toContain('taking over from down member node1');
    // The prediction leaves the state it was given alone.
    expect(owners(whatIf({ config, members, state: running }))['service:webservice']).toBe(
      'started@node1',
    );
  });

  it('says why a service has nowhere to go', () => {
    const result = whatIf({ config, members, state: running, failNodes: ['node1', 'node3'] });
    const web = result.services.find((s) => s.service === 'service:webservice');
    expect(web?.after.state).toBe('stopped');
    expect(web?.reason).toBe('restricted domain unavailable');
  });

  it('plays relocations forward and reports the ones rgmanager would refuse', () => {
    const result = whatIf({
      config,
      members,
      state: running,
      moves: [
        { service: 'service:webservice', target: 'node3' },
        { service: 'service:webservice', target: 'node9' },
      ],
    });
    expect(owners(result)['service:webservice']).toBe('started@node3');
    expect(result.refusedMoves).toHaveLength(1);
    expect(result.refusedMoves[0]).toMatchObject({
      service: 'service:webservice',
      target: 'node9',
    });
    expect(result.refusedMoves[0]?.message).not.toBe('');
  });
});
