// The demo cluster's cluster.conf: three nodes on loopback fenced by fence_demo, and one service
// made of resources that need no root: the demo web server as a `script` resource and, when the
// machine has it, `ocf:heartbeat:Dummy`.
import { DEMO_CLUSTER, type DemoLayout } from './demo-layout.js';

export const DEMO_SERVICE = 'webservice';
export const DEMO_FENCE_DEVICE = 'demo';
export const DUMMY_AGENT_PATH = '/usr/lib/ocf/resource.d/heartbeat/Dummy';

export interface DemoConfOptions {
  readonly layout: DemoLayout;
  readonly webServiceScript: string;
  /** Whether to add `ocf:heartbeat:Dummy` to the service. */
  readonly withDummy: boolean;
}

/** Attribute text with XML's five special characters escaped (paths come from the user). */
function attribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export function demoClusterConf(options: DemoConfOptions): string {
  const { layout } = options;
  const nodes = layout.nodes.map(
    (node, index) => `    <clusternode name="${node.name}" nodeid="${index + 1}" votes="1">
      <fence>
        <method name="1">
          <device name="${DEMO_FENCE_DEVICE}" port="${node.name}"/>
        </method>
      </fence>
    </clusternode>
`,
  );
  // Dummy keeps its state file in its working directory, the node's own run folder.
  const dummy = options.withDummy
    ? '      <ocf agent="heartbeat:Dummy" name="dummy" state="dummy.state"/>\n'
    : '';
  return `<?xml version="1.0"?>
<cluster name="${DEMO_CLUSTER}" config_version="1">
  <totem token="1000"/>
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <fencedevices>
    <fencedevice name="${DEMO_FENCE_DEVICE}" agent="${attribute(layout.fenceAgent)}" demo_dir="${attribute(layout.root)}"/>
  </fencedevices>
  <rm>
    <service name="${DEMO_SERVICE}" autostart="1" recovery="relocate">
      <script name="web" file="${attribute(options.webServiceScript)}"/>
${dummy}    </service>
  </rm>
</cluster>
`;
}
