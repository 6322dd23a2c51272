// Builders shared by the cluster.conf validation tests: a complete, clean config whose parts a
// test replaces to break one rule at a time.
import { parseClusterConf } from '../src/cluster-conf/read.js';
import { validateClusterConf } from '../src/cluster-conf/validate.js';
import type { ValidationLevel, ValidationResult } from '../src/cluster-conf/validate-values.js';

export interface ConfParts {
  readonly clusterAttrs?: string;
  readonly cman?: string;
  readonly totem?: string;
  readonly quorumd?: string;
  readonly fenceDaemon?: string;
  readonly nodes?: string;
  readonly fenceDevices?: string;
  readonly rm?: string;
}

export function fencedNode(name: string, nodeid: number, extra = ''): string {
  return (
    `<clusternode name="${name}" nodeid="${nodeid}"${extra}>` +
    `<fence><method name="power"><device name="ipmi-${name}"/></method></fence></clusternode>`
  );
}

export const threeNodes = [1, 2, 3].map((i) => fencedNode(`node${i}`, i)).join('');

export const threeDevices = [1, 2, 3]
  .map((i) => `<fencedevice name="ipmi-node${i}" agent="fence_ipmilan" ipaddr="10.0.0.10${i}"/>`)
  .join('');

export const cleanRm = `
  <failoverdomains>
    <failoverdomain name="web-pref" ordered="1" restricted="0">
      <failoverdomainnode name="node1" priority="1"/>
      <failoverdomainnode name="node2" priority="2"/>
    </failoverdomain>
  </failoverdomains>
  <resources>
    <ip address="192.168.10.50/24" monitor_link="1"/>
    <fs name="data" device="/dev/vg0/data" mountpoint="/srv/data" fstype="ext4"/>
    <script name="httpd" file="/etc/init.d/httpd"/>
  </resources>
  <service name="web" domain="web-pref" recovery="relocate" autostart="1">
    <fs ref="data"><script ref="httpd"/></fs>
    <ip ref="192.168.10.50/24"/>
  </service>
  <service name="db" depend="service:web" depend_mode="soft">
    <ip address="192.168.10.51"/>
  </service>`;

export function confXml(parts: ConfParts = {}): string {
  return `<?xml version="1.0"?>
<cluster ${parts.clusterAttrs ?? 'name="alpha" config_version="3"'}>
  ${parts.cman ?? '<cman/>'}
  ${parts.totem ?? ''}
  ${parts.quorumd ?? ''}
  ${parts.fenceDaemon ?? ''}
  <clusternodes>${parts.nodes ?? threeNodes}</clusternodes>
  <fencedevices>${parts.fenceDevices ?? threeDevices}</fencedevices>
  <rm>${parts.rm ?? cleanRm}</rm>
</cluster>`;
}

export function check(
  xml: string | ConfParts,
  level: ValidationLevel = 'runnable',
): ValidationResult {
  return validateClusterConf(parseClusterConf(typeof xml === 'string' ? xml : confXml(xml)), level);
}

/** `rule path` of each issue, for compact assertions. */
export function found(issues: ReadonlyArray<{ rule: string; path: string }>): string[] {
  return issues.map((i) => `${i.rule} ${i.path}`);
}
