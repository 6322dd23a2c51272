import type { ClusterConf } from '@quorate/core';

// `lsnode` and `lsfence` in the columns RHEL's ccs_tool printed (CL3 editconf.c), so scripts
// that parse them keep working. The -v lines are Quorate's own, and redact secrets.

/** C's atoi: leading digits (with a sign), else 0. */
function atoi(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isNaN(n) ? 0 : n;
}

const secretName = /passw|secret|community|_key$/i;

/** `k=v` pairs, secrets shown as `***`, skipping the attributes already on the main line. */
function properties(attrs: Readonly<Record<string, string>>, skip: readonly string[]): string {
  return Object.entries(attrs)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}=${secretName.test(k) ? '***' : v}`)
    .join(' ');
}

export function listNodes(conf: ClusterConf, verbose: boolean): string {
  const lines = [
    '',
    `Cluster name: ${conf.name ?? ''}, config_version: ${conf.attrs.config_version ?? ''}`,
    '',
  ];
  if (conf.cman?.multicastAddr !== undefined) {
    lines.push(`Multicast address for cluster: ${conf.cman.multicastAddr}`, '');
  }
  lines.push(`${'Nodename'.padEnd(32)}Votes Nodeid Fencetype`);
  for (const node of conf.nodes) {
    const votes = node.attrs.votes === undefined ? 1 : atoi(node.attrs.votes);
    const nodeid = atoi(node.attrs.nodeid);
    const fencetype = node.fenceMethods[0]?.devices[0]?.name ?? '';
    lines.push(
      `${node.name.padEnd(32)} ${String(votes).padStart(3)}  ${String(nodeid).padStart(3)}    ${fencetype}`,
    );
    if (!verbose) continue;
    for (const alt of node.altnames) lines.push(`  altname: ${properties(alt.attrs, [])}`);
    const own = properties(node.attrs, ['name', 'votes', 'nodeid']);
    if (own) lines.push(`  Node properties: ${own}`);
    for (const method of node.fenceMethods) {
      const devices = method.devices.map((d) =>
        [d.name, properties(d.params, [])].filter(Boolean).join(' '),
      );
      lines.push(`  Fence method ${method.name}: ${devices.join('; ') || '(no devices)'}`);
    }
    for (const d of node.unfence)
      lines.push(`  Unfence: ${[d.name, properties(d.params, [])].filter(Boolean).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function listFences(conf: ClusterConf, verbose: boolean): string {
  const lines = [`${'Name'.padEnd(16)} Agent`];
  for (const device of conf.fenceDevices) {
    lines.push(`${device.name.padEnd(16)} ${device.agent}`);
    const props = properties(device.params, []);
    if (verbose && props) lines.push(`  Properties: ${props}`);
  }
  return `${lines.join('\n')}\n`;
}
