// A 32-node, 1,000-service cluster.conf: the size DESIGN.md §7 budgets for.
export function largeConfigXml(
  nodeCount = 32,
  serviceCount = 1000,
  version = 1,
  tweak = -1,
): string {
  const nodes = Array.from(
    { length: nodeCount },
    (_, i) =>
      `<clusternode name="n${i + 1}" nodeid="${i + 1}"><fence><method name="power">` +
      `<device name="ipmi-n${i + 1}"/></method></fence></clusternode>`,
  ).join('');
  const devices = Array.from(
    { length: nodeCount },
    (_, i) => `<fencedevice name="ipmi-n${i + 1}" agent="fence_ipmilan" ipaddr="10.9.0.${i + 1}"/>`,
  ).join('');
  const domainNodes = Array.from(
    { length: nodeCount },
    (_, i) => `<failoverdomainnode name="n${i + 1}" priority="${(i % 10) + 1}"/>`,
  ).join('');
  const address = (i: number) => `10.${Math.floor(i / 250)}.${i % 250}.1`;
  const ips = Array.from({ length: serviceCount }, (_, i) => `<ip address="${address(i)}"/>`);
  const services = Array.from({ length: serviceCount }, (_, i) => {
    const file = i === tweak ? `/etc/init.d/app${i}-v2` : `/etc/init.d/app${i}`;
    return (
      `<service name="s${i}" domain="all" recovery="relocate"><ip ref="${address(i)}"/>` +
      `<fs name="fs${i}" device="/dev/vg/lv${i}" mountpoint="/srv/s${i}" fstype="ext4">` +
      `<script name="sc${i}" file="${file}"/></fs></service>`
    );
  });
  return (
    `<?xml version="1.0"?><cluster name="big" config_version="${version}"><cman/>` +
    `<clusternodes>${nodes}</clusternodes><fencedevices>${devices}</fencedevices>` +
    `<rm><failoverdomains><failoverdomain name="all" ordered="1">${domainNodes}` +
    `</failoverdomain></failoverdomains><resources>${ips.join('')}</resources>` +
    `${services.join('')}</rm></cluster>`
  );
}
