// cluster.conf texts for the controller's tests: three nodes with power fencing, and services
// in an ordered domain that prefers one node. Test support, not exported from the package.

export interface TestConfOptions {
  /** The node the services prefer (an ordered domain of all three, this one first). */
  readonly prefer?: string;
  readonly services?: number;
  /** Agent of the single fence device `pdu` (default fence_apc). */
  readonly fenceAgent?: string;
  /** Status checks of the scripts every this many seconds (default 2). */
  readonly statusIntervalS?: number;
  readonly recovery?: string;
  /** fenced's post_join_delay in seconds (default 3). */
  readonly postJoinDelayS?: number;
}

export function testConf(options: TestConfOptions = {}): string {
  const nodes = ['n1', 'n2', 'n3'];
  const prefer = options.prefer ?? 'n2';
  const order = [prefer, ...nodes.filter((n) => n !== prefer)];
  const fence = (i: number) =>
    `<fence><method name="power"><device name="pdu" port="${i}"/></method></fence>`;
  const services = Array.from({ length: options.services ?? 1 }, (_, i) => {
    const recovery = options.recovery ? ` recovery="${options.recovery}"` : '';
    return [
      `    <service name="svc${i + 1}" autostart="1" domain="prefer"${recovery}>`,
      `      <ip address="10.0.0.${10 + i}/24"/>`,
      `      <script name="app${i + 1}" file="/etc/init.d/app${i + 1}"><action name="status" depth="0" interval="${options.statusIntervalS ?? 2}s" timeout="10s"/><action name="start" timeout="10s"/><action name="stop" timeout="10s"/></script>`,
      '    </service>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0"?>',
    '<cluster name="alpha" config_version="1">',
    `  <fence_daemon post_join_delay="${options.postJoinDelayS ?? 3}"/>`,
    '  <clusternodes>',
    ...nodes.map(
      (n, i) => `    <clusternode name="${n}" nodeid="${i + 1}">${fence(i + 1)}</clusternode>`,
    ),
    '  </clusternodes>',
    `  <fencedevices><fencedevice name="pdu" agent="${options.fenceAgent ?? 'fence_apc'}"/></fencedevices>`,
    '  <rm>',
    '    <failoverdomains><failoverdomain name="prefer" ordered="1">',
    ...order.map((n, i) => `      <failoverdomainnode name="${n}" priority="${i + 1}"/>`),
    '    </failoverdomain></failoverdomains>',
    ...services,
    '  </rm>',
    '</cluster>',
    '',
  ].join('\n');
}
