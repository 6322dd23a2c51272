import { describe, expect, it } from 'vitest';
import { serializeXml } from '../xml/xml-serialize.js';
import {
  configChangeSummary,
  describeVotingChange,
  restoreRedactedSecrets,
  votingChange,
  withConfigVersion,
} from './config-history.js';
import { redactedConfigText } from './config-redact.js';
import { applyConsoleEdits } from './console-edits.js';
import { EditError } from './edit-model.js';
import { parseClusterConf } from './read.js';

const base = `<?xml version="1.0"?>
<cluster name="hist" config_version="4">
  <cman expected_votes="3"/>
  <totem token="1000"/>
  <clusternodes>
    <clusternode name="node1" nodeid="1">
      <fence><method name="1"><device name="ipmi" port="1" passwd="per-node"/></method></fence>
    </clusternode>
    <clusternode name="node2" nodeid="2"/>
    <clusternode name="node3" nodeid="3"/>
  </clusternodes>
  <fencedevices>
    <fencedevice name="ipmi" agent="fence_ipmilan" ipaddr="10.0.0.9" login="root" passwd="s3cret"/>
  </fencedevices>
  <rm>
    <service name="web"/>
  </rm>
</cluster>
`;

describe('configuration history helpers', () => {
  it('summarises a property change and a new service, never a secret', () => {
    const before = parseClusterConf(base);
    const after = applyConsoleEdits(before, [
      { op: 'setClusterProperties', changes: { totem: { tokenMs: 1500 } } },
      { op: 'addService', name: 'db' },
      { op: 'updateFenceDevice', name: 'ipmi', params: { passwd: 'other' } },
    ]).conf;
    const summary = configChangeSummary(before, after);
    expect(summary).toContain('totem token 1000 → 1500');
    expect(summary).toContain('service db added');
    expect(summary).toContain('fence device ipmi changed');
    expect(summary).not.toContain('s3cret');
    expect(summary).not.toContain('other');
    expect(configChangeSummary(null, after)).toBe('first version the console saw');
  });

  it('sees no voting change in a token change, and names added nodes and expected votes', () => {
    const before = parseClusterConf(base);
    const token = applyConsoleEdits(before, [
      { op: 'setClusterProperties', changes: { totem: { tokenMs: 1500 } } },
    ]).conf;
    expect(votingChange(before, token)).toBeNull();
    const grown = applyConsoleEdits(before, [
      { op: 'addNode', name: 'node4' },
      { op: 'setClusterProperties', changes: { cman: { expectedVotes: 4 } } },
    ]).conf;
    const change = votingChange(before, grown)!;
    expect(change.addedNodes).toEqual(['node4']);
    expect(describeVotingChange(change)).toBe('adds node4; expected_votes 3 → 4');
    expect(describeVotingChange(votingChange(grown, before)!)).toBe(
      'removes node4; expected_votes 4 → 3',
    );
  });

  it('sets fenced\'s "wait forever" post_join_delay of -1, and refuses less', () => {
    const conf = parseClusterConf(base);
    const wait = (s: number) =>
      applyConsoleEdits(conf, [
        { op: 'setClusterProperties', changes: { fenceDaemon: { postJoinDelayS: s } } },
      ]).conf;
    expect(wait(-1).fenceDaemon?.postJoinDelay).toBe(-1);
    expect(() => wait(-2)).toThrow(/post_join_delay must be an integer at least -1/);
  });

  it('renumbers a file as a new version and keeps everything else', () => {
    const renumbered = withConfigVersion(parseClusterConf(base), 9);
    expect(renumbered.configVersion).toBe(9);
    expect(serializeXml(renumbered.doc)).toContain('<totem token="1000"/>');
  });

  it('takes redacted secrets back from the committed file, device and per-node use alike', () => {
    const committed = parseClusterConf(base);
    const downloaded = redactedConfigText(committed.doc).replace('token="1000"', 'token="2000"');
    expect(downloaded).not.toContain('s3cret');
    const restored = restoreRedactedSecrets(parseClusterConf(downloaded), committed);
    const text = serializeXml(restored.doc);
    expect(text).toContain('passwd="s3cret"');
    expect(text).toContain('passwd="per-node"');
    expect(text).toContain('token="2000"');
  });

  it('refuses a redacted secret the committed file has no value for, naming the attribute', () => {
    const committed = parseClusterConf(base);
    const renamed = redactedConfigText(committed.doc).replaceAll('"ipmi"', '"ipmi2"');
    const attempt = () => restoreRedactedSecrets(parseClusterConf(renamed), committed);
    expect(attempt).toThrow(EditError);
    expect(attempt).toThrow(/method\[@name="1"\]\/device\[@name="ipmi2"\]\/@passwd/);
  });
});
