import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterView } from './voting-config.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clusterView', () => {
  it('without cluster.conf: the peer list, one vote each, leaving out this node', () => {
    const peers = ['n1', 'n2', 'n3'].map((name) => ({ name, addresses: [`${name}:1`] }));
    const view = clusterView('n1', join(dir, 'absent'), 11111, peers);
    expect(view.config).toEqual({
      voters: [
        { id: 'n1', votes: 1 },
        { id: 'n2', votes: 1 },
        { id: 'n3', votes: 1 },
      ],
      expectedVotes: 0,
      tokenMs: 1000,
    });
    expect(view.peers.map((peer) => peer.name)).toEqual(['n2', 'n3']);
  });

  it('with cluster.conf: its votes, expected_votes, token and altname links', () => {
    const confDir = join(dir, 'conf');
    mkdirSync(confDir);
    writeFileSync(
      join(confDir, 'cluster.conf'),
      `<?xml version="1.0"?>
<cluster name="c" config_version="1">
  <cman expected_votes="4"/>
  <totem token="3000"/>
  <clusternodes>
    <clusternode name="n1" nodeid="1" votes="2"/>
    <clusternode name="n2" nodeid="2"><altname name="n2-b"/></clusternode>
    <clusternode name="n3" nodeid="3"/>
  </clusternodes>
</cluster>
`,
    );
    const view = clusterView('n1', confDir, 11111, [{ name: 'n3', addresses: ['10.0.0.3:9'] }]);
    // Read by the core's own rule, which may carry more (two_node).
    expect(view.config).toMatchObject({
      voters: [
        { id: 'n1', votes: 2 },
        { id: 'n2', votes: 1 },
        { id: 'n3', votes: 1 },
      ],
      expectedVotes: 4,
      tokenMs: 3000,
      waitForAll: false,
    });
    expect(view.clusterConf).toContain('config_version="1"');
    expect(view.peers).toEqual([
      { name: 'n2', addresses: ['n2:11111', 'n2-b:11111'] },
      { name: 'n3', addresses: ['10.0.0.3:9'] },
    ]);
  });
});
