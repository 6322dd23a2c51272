// What the console learns about a host before installing anything, and what it refuses: one
// POSIX shell script prints `key=value` lines, the console judges them. Nothing here writes.

/** Where the agent goes on a node (install.sh's options). */
export interface AgentLayout {
  readonly prefix: string;
  readonly configDir: string;
  readonly stateDir: string;
  /** Where the bundle is copied and unpacked before install (a fresh `mktemp -d` under it). */
  readonly stagingParent: string;
}

export const DEFAULT_LAYOUT: AgentLayout = {
  prefix: '/opt/quorate',
  configDir: '/etc/cluster',
  stateDir: '/var/lib/quorate',
  stagingParent: '/var/tmp',
};

export const AGENT_PORT = 11111;

export interface HostFacts {
  readonly os: string;
  readonly arch: string;
  readonly hostname: string;
  readonly uid: number;
  readonly portInUse: boolean;
  /** `ss`'s process column for the port's listener, when ss could tell. */
  readonly portHolder: string;
  readonly hasSystemd: boolean;
  readonly missingTools: readonly string[];
  readonly agentInstalled: boolean;
  readonly configPresent: boolean;
  readonly stateInUse: boolean;
  readonly prefixExisted: boolean;
  readonly configDirExisted: boolean;
  readonly stateDirExisted: boolean;
  /** Free space and device of the nearest existing folder of the prefix and of staging. */
  readonly prefixFreeKiB: number;
  readonly prefixDevice: string;
  readonly stagingFreeKiB: number;
  readonly stagingDevice: string;
}

/** Single-quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Run with `sh -s -- PORT PREFIX CONFIG_DIR STATE_DIR STAGING_PARENT`. */
export const CHECK_SCRIPT = `
port=$1 prefix=$2 config_dir=$3 state_dir=$4 staging=$5
nearest() { d=$1; while [ ! -d "$d" ]; do d=$(dirname "$d"); done; printf '%s' "$d"; }
free_kib() { df -Pk "$(nearest "$1")" 2>/dev/null | awk 'NR==2 {print $4}'; }
device() { stat -c %d "$(nearest "$1")" 2>/dev/null; }
yes_no() { if "$@"; then echo yes; else echo no; fi; }
echo "os=$(uname -s)"
echo "arch=$(uname -m)"
echo "hostname=$(uname -n)"
echo "uid=$(id -u)"
hex=$(printf '%04X' "$port")
listening() { cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" {f = 1} END {exit !f}'; }
echo "port_in_use=$(yes_no listening)"
echo "port_holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\\("[^"]*",pid=[0-9]*\\).*/\\1/p' | head -n 1)"
echo "systemd=$(yes_no test -d /run/systemd/system)"
missing=
for tool in tar gzip sha256sum df mktemp setsid; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
echo "missing_tools=$missing"
echo "agent_installed=$(yes_no test -e "$prefix/bin/quorate")"
echo "config_present=$(yes_no test -e "$config_dir/cluster.conf")"
echo "state_in_use=$(yes_no test -n "$(ls -A "$state_dir" 2>/dev/null)")"
echo "prefix_existed=$(yes_no test -d "$prefix")"
echo "config_dir_existed=$(yes_no test -d "$config_dir")"
echo "state_dir_existed=$(yes_no test -d "$state_dir")"
echo "prefix_free_kib=$(free_kib "$prefix")"
echo "prefix_device=$(device "$prefix")"
echo "staging_free_kib=$(free_kib "$staging")"
echo "staging_device=$(device "$staging")"
`;

export function checkCommand(layout: AgentLayout): string {
  const args = [
    String(AGENT_PORT),
    layout.prefix,
    layout.configDir,
    layout.stateDir,
    layout.stagingParent,
  ];
  return `sh -s -- ${args.map(shellQuote).join(' ')}`;
}

export function parseHostFacts(output: string): HostFacts {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const text = (key: string) => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`the host check printed no ${key}`);
    return value;
  };
  const flag = (key: string) => text(key) === 'yes';
  const count = (key: string) => Number(text(key) || Number.NaN);
  return {
    os: text('os'),
    arch: text('arch'),
    hostname: text('hostname'),
    uid: count('uid'),
    portInUse: flag('port_in_use'),
    portHolder: text('port_holder'),
    hasSystemd: flag('systemd'),
    missingTools: text('missing_tools').split(/\s+/).filter(Boolean),
    agentInstalled: flag('agent_installed'),
    configPresent: flag('config_present'),
    stateInUse: flag('state_in_use'),
    prefixExisted: flag('prefix_existed'),
    configDirExisted: flag('config_dir_existed'),
    stateDirExisted: flag('state_dir_existed'),
    prefixFreeKiB: count('prefix_free_kib'),
    prefixDevice: text('prefix_device'),
    stagingFreeKiB: count('staging_free_kib'),
    stagingDevice: text('staging_device'),
  };
}

export type HostRefusalKind =
  | 'wrong-os'
  | 'wrong-architecture'
  | 'not-root'
  | 'port-in-use'
  | 'disk-full'
  | 'missing-tool'
  | 'already-installed'
  | 'no-systemd';

export interface HostRefusal {
  readonly kind: HostRefusalKind;
  readonly message: string;
}

export interface HostRequirements {
  /** `uname -m` the bundle runs on (x86_64 for a linux-x64 bundle). */
  readonly arch: string;
  readonly archiveBytes: number;
  readonly unpackedBytes: number;
  readonly needsSystemd: boolean;
  readonly layout: AgentLayout;
}

/** Every reason the host cannot take the agent, in the order an administrator fixes them. */
export function judgeHost(where: string, facts: HostFacts, needs: HostRequirements): HostRefusal[] {
  const refusals: HostRefusal[] = [];
  const refuse = (kind: HostRefusalKind, message: string) =>
    refusals.push({ kind, message: `${where}: ${message}` });
  if (facts.os !== 'Linux')
    refuse('wrong-os', `runs ${facts.os || 'an unknown system'}; the agent needs Linux`);
  if (facts.arch !== needs.arch) {
    refuse('wrong-architecture', `is ${facts.arch}; the agent bundle is built for ${needs.arch}`);
  }
  if (facts.uid !== 0)
    refuse('not-root', `the SSH user is uid ${facts.uid}; installing needs root (uid 0)`);
  if (facts.portInUse) {
    const by = facts.portHolder ? ` by ${facts.portHolder}` : '';
    refuse('port-in-use', `port ${AGENT_PORT} (the agent's) is already in use${by}`);
  }
  if (facts.missingTools.length > 0)
    refuse('missing-tool', `lacks ${facts.missingTools.join(', ')}`);
  if (needs.needsSystemd && !facts.hasSystemd) refuse('no-systemd', 'does not run systemd');
  const { layout } = needs;
  if (facts.agentInstalled) refuse('already-installed', `already has an agent in ${layout.prefix}`);
  if (facts.configPresent)
    refuse('already-installed', `already has ${layout.configDir}/cluster.conf`);
  if (facts.stateInUse) refuse('already-installed', `${layout.stateDir} is not empty`);
  refusals.push(...diskRefusals(where, facts, needs));
  return refusals;
}

/** Staging holds the archive and its unpacked copy; the prefix one more copy of the executable. */
function diskRefusals(where: string, facts: HostFacts, needs: HostRequirements): HostRefusal[] {
  const kib = (bytes: number) => Math.ceil(bytes / 1024);
  const staging = kib(needs.archiveBytes + needs.unpackedBytes);
  const prefix = kib(needs.unpackedBytes);
  const shared = facts.stagingDevice === facts.prefixDevice;
  const wants: Array<[string, number, number]> = shared
    ? [[needs.layout.stagingParent, staging + prefix, facts.stagingFreeKiB]]
    : [
        [needs.layout.stagingParent, staging, facts.stagingFreeKiB],
        [needs.layout.prefix, prefix, facts.prefixFreeKiB],
      ];
  return wants
    .filter(([, need, free]) => !(free >= need))
    .map(([dir, need, free]) => ({
      kind: 'disk-full' as const,
      message: `${where}: ${dir} has ${mib(free)} MiB free; the agent needs ${mib(need)} MiB there`,
    }));
}

function mib(kib: number): string {
  return Number.isFinite(kib) ? (kib / 1024).toFixed(0) : '?';
}
