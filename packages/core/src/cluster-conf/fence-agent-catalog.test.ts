import { describe, expect, it } from 'vitest';
import { parseAgentMetadata } from '../agent-metadata/parse.js';
import { fenceAgentCatalog, fenceCatalogWith } from './fence-agent-catalog.js';

/** fence-agents' metadata as fence_wti-style agents print it: new names and deprecated ones. */
const metadata = parseAgentMetadata(
  `<?xml version="1.0" ?>
<resource-agent name="fence_example" shortdesc="Fence agent for an example switch">
<parameters>
  <parameter name="action" required="1"><content type="string" default="reboot"/><shortdesc lang="en">Fencing action</shortdesc></parameter>
  <parameter name="ip" required="1" obsoletes="ipaddr"><content type="string"/><shortdesc lang="en">IP address or hostname of fencing device</shortdesc></parameter>
  <parameter name="ipaddr" required="0" deprecated="1"><content type="string"/><shortdesc lang="en">IP address or hostname of fencing device</shortdesc></parameter>
  <parameter name="password" required="0" obsoletes="passwd"><content type="string"/><shortdesc lang="en">Login password or passphrase</shortdesc></parameter>
  <parameter name="plug" required="1" obsoletes="port"><content type="string"/><shortdesc lang="en">Physical plug number on device</shortdesc></parameter>
  <parameter name="port" required="0" deprecated="1"><content type="string"/><shortdesc lang="en">Physical plug number on device</shortdesc></parameter>
  <parameter name="verbose" required="0"><content type="boolean"/><shortdesc lang="en">Verbose mode</shortdesc></parameter>
  <parameter name="power_wait" required="0"><content type="second" default="0"/><shortdesc lang="en">Wait after switching</shortdesc></parameter>
</parameters>
<actions><action name="on"/><action name="off"/><action name="metadata"/></actions>
</resource-agent>`,
  { type: 'fence_example' },
);

describe('fence agents described by their metadata', () => {
  it("uses cluster.conf's names, one field per parameter, split between device and node", () => {
    const info = fenceCatalogWith([metadata]).get('fence_example');
    expect(info?.shortDescription).toBe('Fence agent for an example switch');
    expect(info?.deviceParameters.map((p) => [p.name, p.required])).toEqual([
      ['ipaddr', true],
      ['passwd', false],
      ['power_wait', false],
    ]);
    expect(info?.instanceParameters.map((p) => [p.name, p.required])).toEqual([['port', true]]);
  });

  it('keeps the built-in description of an agent the config checks know', () => {
    const ipmilan = { ...metadata, type: 'fence_ipmilan' };
    const catalog = fenceCatalogWith([ipmilan]);
    expect(catalog.get('fence_ipmilan')).toBe(fenceAgentCatalog.get('fence_ipmilan'));
    expect(catalog.get('fence_manual')).toBe(fenceAgentCatalog.get('fence_manual'));
  });
});
