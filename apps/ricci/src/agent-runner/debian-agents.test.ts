// Debian's resource-agents, unchanged, run by the OCF runner; and the meta-data the console
// gets from the agents installed on a node.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildResourceTrees, catalogWith, parseClusterConf } from '@quorate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FenceAgentRunner } from './fence-agent-runner.js';
import {
  discoverAgents,
  discoverFenceAgents,
  listInstalledOcfAgents,
} from './metadata-discovery.js';
import { ResourceAgentRunner } from './resource-agent-runner.js';
import { debianAgentsSkipReason } from './test-requirements.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-debian-agents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(debianAgentsSkipReason())('Debian resource agents', () => {
  const runner = new ResourceAgentRunner();

  it('runs ocf:heartbeat:Dummy through its life cycle', async () => {
    const attributes = { state: join(dir, 'dummy.state') };
    const seen: string[] = [];
    for (const action of ['monitor', 'start', 'monitor', 'stop', 'monitor', 'migrate_to']) {
      const result = await runner.run({ type: 'ocf:heartbeat:Dummy', action, attributes });
      seen.push(result.outcome.kind === 'ocf' ? result.outcome.name : result.outcome.kind);
    }
    expect(seen).toEqual(['notRunning', 'success', 'success', 'success', 'notRunning', 'success']);
  });

  it('reads meta-data from installed agents and the built-ins', async () => {
    expect(listInstalledOcfAgents(runner.ocfRoot)).toEqual(
      expect.arrayContaining(['ocf:heartbeat:Dummy', 'ocf:heartbeat:IPaddr2']),
    );
    const wanted = new Set([
      'ocf:heartbeat:Dummy',
      'ocf:heartbeat:IPaddr2',
      'ocf:heartbeat:Filesystem',
    ]);
    const found = await discoverAgents(runner, { include: (type) => wanted.has(type) });
    expect(found.failures).toEqual([]);
    expect(found.agents.map((a) => a.type)).toEqual([
      'ip',
      'script',
      'fs',
      'netfs',
      'nfsexport',
      'nfsclient',
      'ocf:heartbeat:Dummy',
      'ocf:heartbeat:Filesystem',
      'ocf:heartbeat:IPaddr2',
    ]);
    const ipaddr2 = found.agents.find((a) => a.type === 'ocf:heartbeat:IPaddr2')!;
    expect(ipaddr2.parameters.find((p) => p.name === 'ip')).toMatchObject({
      required: true,
      unique: true,
    });
    expect(ipaddr2.actions.find((a) => a.name === 'start')?.timeoutS).toBe(20);
  });

  it("reads installed fence agents' metadata, and names an agent whose metadata fails", async () => {
    // A folder with Debian's fence_dummy, a broken fence_ agent, and a file that is no agent.
    const bin = join(dir, 'fence-bin');
    mkdirSync(bin);
    symlinkSync('/usr/sbin/fence_dummy', join(bin, 'fence_dummy'));
    writeFileSync(join(bin, 'fence_broken'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    writeFileSync(join(bin, 'not_a_fence'), '#!/bin/sh\n', { mode: 0o755 });
    const found = await discoverFenceAgents(new FenceAgentRunner({ agentDirs: [bin] }));
    expect(found.agents.map((a) => a.type)).toEqual(['fence_dummy']);
    const dummy = found.agents[0]!;
    expect(dummy.shortDescription).toBe('Dummy fence agent');
    expect(dummy.parameters.find((p) => p.name === 'action')).toMatchObject({ required: true });
    expect(dummy.parameters.length).toBeGreaterThan(5);
    expect(found.failures).toEqual([{ type: 'fence_broken', message: 'metadata: exit code 1' }]);
  });

  it('runs <ocf agent="heartbeat:Dummy"> of a service from cluster.conf', async () => {
    const found = await discoverAgents(runner, {
      include: (type) => type === 'ocf:heartbeat:Dummy',
    });
    const conf = parseClusterConf(`<?xml version="1.0"?>
<cluster name="c" config_version="1">
  <clusternodes><clusternode name="n1" nodeid="1"/></clusternodes>
  <rm>
    <service name="svc">
      <ocf agent="heartbeat:Dummy" name="d1" state="${join(dir, 'from-conf.state')}">
        <action name="monitor" timeout="7s"/>
      </ocf>
    </service>
  </rm>
</cluster>`);
    const catalog = catalogWith(found.agents.filter((a) => a.type.startsWith('ocf:')));
    const trees = buildResourceTrees(conf, catalog);
    expect(trees.problems).toEqual([]);
    const dummy = trees.trees[0]!.children[0]!;
    const metadata = catalog.get(dummy.type);
    const seen: string[] = [];
    for (const action of ['monitor', 'start', 'monitor', 'stop']) {
      const result = await runner.runNode(dummy, action, { metadata });
      seen.push(result.outcome.kind === 'ocf' ? result.outcome.name : result.outcome.kind);
      expect(result.instance).toBe('ocf:heartbeat:Dummy:d1');
      if (action === 'monitor') expect(result.timeoutMs).toBe(7_000);
    }
    expect(seen).toEqual(['notRunning', 'success', 'success', 'success']);
  });
});
