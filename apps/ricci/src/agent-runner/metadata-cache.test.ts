import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FenceAgentRunner } from './fence-agent-runner.js';
import { MetadataCache } from './metadata-cache.js';
import { discoverFenceAgents } from './metadata-discovery.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-metadata-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runs = join(dir, 'runs');
const cacheFile = join(dir, 'agent-metadata.json');
const agent = join(dir, 'fence_counted');
/** A fence agent that answers `metadata` (by the contract: options on stdin) and counts its runs. */
function writeAgent(shortdesc: string): void {
  writeFileSync(
    agent,
    `#!/bin/sh
grep -q '^action=metadata$' || exit 1
echo run >> '${runs}'
echo '<?xml version="1.0" ?><resource-agent name="fence_counted" shortdesc="${shortdesc}"><parameters><parameter name="ipaddr" required="1"><content type="string"/><shortdesc lang="en">Address</shortdesc></parameter></parameters><actions><action name="off"/><action name="metadata"/></actions></resource-agent>'
`,
  );
  chmodSync(agent, 0o755);
}
const runCount = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
const discover = async () => {
  const cache = new MetadataCache(cacheFile);
  const found = await discoverFenceAgents(new FenceAgentRunner({ agentDirs: [dir] }), { cache });
  cache.save();
  return found.agents.map((a) => a.shortDescription);
};

describe('the metadata cache', () => {
  it('reads an agent once, again only after its file changed, and survives a broken file', async () => {
    writeAgent('first');
    expect(await discover()).toEqual(['first']);
    expect(runCount()).toBe(1);
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    // A restart with the saved cache reads nothing.
    expect(await discover()).toEqual(['first']);
    expect(runCount()).toBe(1);
    // A new version of the agent (another size) is read again.
    writeAgent('second version');
    expect(await discover()).toEqual(['second version']);
    expect(runCount()).toBe(2);
    // A damaged cache is an empty one.
    writeFileSync(cacheFile, '{"v":1,"answers":{"x":{"type":7}}');
    expect(await discover()).toEqual(['second version']);
    expect(runCount()).toBe(3);
  });
});
