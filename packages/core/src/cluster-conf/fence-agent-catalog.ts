import type { AgentMetadata, AgentParameter } from '../agent-metadata/model.js';

/**
 * What the console's fence forms need about a fence agent: the `<fencedevice>` parameters and
 * the per-node `<device>` parameters (fence-agents' metadata, split the way cluster.conf splits
 * them). The agents' console API reports resource agents only, so the common fence agents are
 * described here; an agent not listed gets a form of free parameters.
 */
export interface FenceAgentInfo {
  readonly agent: string;
  readonly shortDescription: string;
  readonly deviceParameters: readonly AgentParameter[];
  readonly instanceParameters: readonly AgentParameter[];
}

type ParameterSpec = Partial<AgentParameter> & Pick<AgentParameter, 'name' | 'shortDescription'>;

function parameter(spec: ParameterSpec): AgentParameter {
  return {
    type: 'string',
    required: false,
    unique: false,
    primary: false,
    reconfig: false,
    inherit: undefined,
    defaultValue: undefined,
    options: [],
    longDescription: '',
    ...spec,
  };
}

const ipaddr = parameter({
  name: 'ipaddr',
  required: true,
  shortDescription: 'IP address or host name of the device',
});
const login = parameter({ name: 'login', shortDescription: 'Login name' });
const passwd = parameter({ name: 'passwd', shortDescription: 'Login password' });
const passwdScript = parameter({
  name: 'passwd_script',
  shortDescription: 'Script that prints the password (instead of passwd)',
});
const ipport = parameter({
  name: 'ipport',
  type: 'integer',
  shortDescription: 'TCP/UDP port of the device',
});
const delay = parameter({
  name: 'delay',
  type: 'integer',
  defaultValue: '0',
  shortDescription: 'Wait this many seconds before fencing starts',
});
const port = parameter({
  name: 'port',
  required: true,
  shortDescription: 'Plug, outlet or VM name of this node',
});

const agents: readonly FenceAgentInfo[] = [
  {
    agent: 'fence_manual',
    shortDescription: 'Manual fencing: an administrator confirms with fence_ack_manual',
    deviceParameters: [],
    instanceParameters: [
      parameter({
        name: 'nodename',
        shortDescription: 'Node to fence (the node itself when empty)',
      }),
    ],
  },
  {
    agent: 'fence_ipmilan',
    shortDescription: 'IPMI over LAN (iLO, iDRAC, IMM, …)',
    deviceParameters: [
      ipaddr,
      login,
      passwd,
      passwdScript,
      parameter({
        name: 'lanplus',
        type: 'boolean',
        defaultValue: '0',
        shortDescription: 'Use IPMI v2.0 lanplus',
      }),
      parameter({
        name: 'auth',
        type: 'select',
        options: ['none', 'password', 'md5'],
        shortDescription: 'IPMI authentication type',
      }),
      { ...ipport, defaultValue: '623' },
      parameter({
        name: 'power_wait',
        type: 'integer',
        shortDescription: 'Seconds to wait after power on/off',
      }),
      delay,
    ],
    instanceParameters: [],
  },
  {
    agent: 'fence_apc',
    shortDescription: 'APC power switch (telnet or SSH)',
    deviceParameters: [
      ipaddr,
      { ...login, required: true },
      passwd,
      passwdScript,
      parameter({ name: 'secure', type: 'boolean', shortDescription: 'Use SSH instead of telnet' }),
      ipport,
      delay,
    ],
    instanceParameters: [port, parameter({ name: 'switch', shortDescription: 'Switch number' })],
  },
  {
    agent: 'fence_xvm',
    shortDescription: 'Virtual machines through fence_virtd (multicast)',
    deviceParameters: [
      parameter({
        name: 'key_file',
        shortDescription: 'Shared key file',
        defaultValue: '/etc/cluster/fence_xvm.key',
      }),
      delay,
    ],
    instanceParameters: [
      { ...port, shortDescription: 'Virtual machine (domain) name of this node' },
    ],
  },
  {
    agent: 'fence_testhost',
    shortDescription: "Quorate's test hosts: powers a test host off through the harness",
    deviceParameters: [
      parameter({
        name: 'socket',
        required: true,
        shortDescription: "Path of the harness's control socket",
      }),
      delay,
    ],
    instanceParameters: [{ ...port, shortDescription: 'Test host to act on' }],
  },
];

/** The built-in fence agents' descriptions, by agent name. */
export const fenceAgentCatalog: ReadonlyMap<string, FenceAgentInfo> = new Map(
  agents.map((a) => [a.agent, a]),
);

/** A fence agent's description: looked up by its file name, so `/usr/sbin/fence_apc` finds fence_apc. */
export function fenceAgentInfo(agent: string): FenceAgentInfo | undefined {
  const base = agent.slice(agent.lastIndexOf('/') + 1);
  return fenceAgentCatalog.get(base);
}

/** Parameter names whose values are secrets: redacted wherever a config is shown. */
export function isSecretParameter(name: string): boolean {
  return /passw|secret|community/i.test(name) && !/_script$/.test(name);
}

/** fence-agents' current parameter names and the older ones cluster.conf files use. */
const CLUSTER_CONF_NAMES: Readonly<Record<string, string>> = {
  ip: 'ipaddr',
  username: 'login',
  password: 'passwd',
  password_script: 'passwd_script',
  plug: 'port',
  debug_file: 'debug',
  use_sudo: 'sudo',
};
/** Options of the agent's command line that have no place in cluster.conf. */
const COMMAND_LINE_ONLY = new Set([
  'action',
  'help',
  'version',
  'verbose',
  'verbose_level',
  'quiet',
]);
/** Parameters that name the victim: they go on each node's `<device>`, the rest on `<fencedevice>`. */
const PER_NODE = new Set(['port', 'nodename']);

/**
 * A fence agent's form description from its `metadata`: the parameters under the names
 * cluster.conf uses (an agent lists both `ip` and the deprecated `ipaddr`: one field, required
 * when either is), split between the device and each node's use of it.
 */
export function fenceAgentInfoFromMetadata(metadata: AgentMetadata): FenceAgentInfo {
  const byName = new Map<string, AgentParameter>();
  for (const p of metadata.parameters) {
    if (COMMAND_LINE_ONLY.has(p.name)) continue;
    const name = CLUSTER_CONF_NAMES[p.name] ?? p.name;
    const seen = byName.get(name);
    const current = p.name !== name || !seen;
    const kept = current ? { ...p, name } : seen;
    byName.set(name, { ...kept, required: p.required || (seen?.required ?? false) });
  }
  const all = [...byName.values()];
  return {
    agent: metadata.type,
    shortDescription: metadata.shortDescription,
    deviceParameters: all.filter((p) => !PER_NODE.has(p.name)),
    instanceParameters: all.filter((p) => PER_NODE.has(p.name)),
  };
}

/**
 * The fence agents the nodes have, described from their metadata; the built-in descriptions
 * (the ones the config model's checks use) win for the agents they cover.
 */
export function fenceCatalogWith(
  metadata: readonly AgentMetadata[],
): ReadonlyMap<string, FenceAgentInfo> {
  const found = metadata.map((m) => [m.type, fenceAgentInfoFromMetadata(m)] as const);
  return new Map([...found, ...fenceAgentCatalog].sort(([a], [b]) => a.localeCompare(b)));
}
