// Test hosts running `webservice` (a floating IP and a script web server) with every node fenced
// through fence_testhost, whose device powers the host off: the set-up the power-fencing and
// `cman_tool kill` scenarios share.
import { type FenceControl, fenceTestHostAgent, serveFenceControl } from '@quorate/e2e';
import { fencedNode, ScenarioCluster, serviceState, WEB_PORT } from './scenario-cluster.js';
import { writeWebService } from './web-service.js';

export const WEB_SERVICE = 'service:webservice';

export interface FencedWebClusterOptions {
  readonly clusterName: string;
  readonly nodeNames: readonly string[];
  readonly waitMs: number;
  /** The cluster.conf every node starts with, given the floating address, script and socket. */
  readonly clusterConf: (floating: string, script: string, fenceSocket: string) => string;
}

export interface FencedWebCluster {
  readonly cluster: ScenarioCluster;
  readonly fence: FenceControl;
  readonly floating: string;
  /** The node webservice first started on. */
  readonly owner: string;
  close(): Promise<void>;
}

/** Starts every agent with the same cluster.conf and waits for webservice to start. */
export async function startFencedWebCluster(
  options: FencedWebClusterOptions,
): Promise<FencedWebCluster> {
  const cluster = await ScenarioCluster.create({
    clusterName: options.clusterName,
    nodeNames: [...options.nodeNames],
    waitMs: options.waitMs,
  });
  const fence = await serveFenceControl(cluster.network);
  const floating = `${cluster.network.subnet}.100`;
  const script = writeWebService(cluster.dir, `${floating} ${WEB_PORT}`);
  const text = options.clusterConf(floating, script, fence.socketPath);
  for (const node of options.nodeNames) cluster.writeClusterConf(node, text);
  for (const node of options.nodeNames) cluster.start(node);
  const [first] = options.nodeNames as [string];
  const started = await cluster.waitFor(first, serviceState(WEB_SERVICE, 'started'));
  return {
    cluster,
    fence,
    floating,
    owner: String(started.owner),
    close: async () => {
      await fence.close();
      await cluster.destroy();
    },
  };
}

export interface FencedWebConf {
  readonly clusterName: string;
  /** Each node with the fence device it is fenced by (its `port` is its own name). */
  readonly nodes: readonly { readonly name: string; readonly device: string }[];
  /** fence_testhost devices, `delaySeconds` for a slow one. */
  readonly devices: readonly { readonly name: string; readonly delaySeconds?: number }[];
}

/** The cluster.conf of a fenced web cluster: nodes, fence_testhost devices and webservice. */
export function fencedWebConf(conf: FencedWebConf) {
  return (floating: string, script: string, socket: string): string => {
    const nodes = conf.nodes.map((node, i) => fencedNode(node.name, i + 1, node.device, node.name));
    const devices = conf.devices.map((device) => {
      const delay = device.delaySeconds === undefined ? '' : ` delay="${device.delaySeconds}"`;
      return `    <fencedevice name="${device.name}" agent="${fenceTestHostAgent}" socket="${socket}"${delay}/>\n`;
    });
    return `<?xml version="1.0"?>
<cluster name="${conf.clusterName}" config_version="1">
  <clusternodes>
${nodes.join('')}  </clusternodes>
  <fencedevices>
${devices.join('')}  </fencedevices>
  <rm>
    <service name="webservice" autostart="1" recovery="relocate">
      <ip address="${floating}" monitor_link="1"/>
      <script name="web" file="${script}"/>
    </service>
  </rm>
</cluster>
`;
  };
}
