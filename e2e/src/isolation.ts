// Proves isolation by inspection, never by traffic: a packet sent from the root namespace to a
// test-host address would follow the machine's default route and leave the machine.
import { mustRun } from './command.js';
import { linkAlias } from './layout.js';

interface IpLink {
  ifname: string;
  ifalias?: string;
  address?: string;
}

interface IpAddress {
  ifname: string;
  addr_info?: Array<{ family: string; local: string }>;
}

interface IpRoute {
  dst: string;
  dev?: string;
}

export interface NetworkState {
  links: IpLink[];
  addresses: IpAddress[];
  routes: IpRoute[];
}

export interface RunFootprint {
  runId: string;
  /** The first three octets of the run's /24. */
  subnet: string;
  macs: readonly string[];
}

/** Reads links, IPv4 addresses and every IPv4 route of a namespace (the root one by default). */
export async function readNetworkState(namespace?: string): Promise<NetworkState> {
  const ip = async <T>(args: string[]): Promise<T> => {
    const scoped = namespace ? ['-n', namespace, ...args] : args;
    return JSON.parse(await mustRun('ip', ['-json', ...scoped])) as T;
  };
  return {
    links: await ip<IpLink[]>(['-details', 'link', 'show']),
    addresses: await ip<IpAddress[]>(['-4', 'addr', 'show']),
    routes: await ip<IpRoute[]>(['-4', 'route', 'show', 'table', 'all']),
  };
}

/** Everything in `state` that the run made: links it labelled or addressed, its addresses, routes. */
export function findRunFootprint(state: NetworkState, run: RunFootprint): string[] {
  const aliasPrefix = linkAlias(run.runId, '');
  const inSubnet = (address: string) => address.startsWith(`${run.subnet}.`);
  const found: string[] = [];
  for (const link of state.links) {
    if (link.ifalias?.startsWith(aliasPrefix)) found.push(`link ${link.ifname} (${link.ifalias})`);
    else if (link.address && run.macs.includes(link.address)) {
      found.push(`link ${link.ifname} has MAC ${link.address}`);
    }
  }
  for (const entry of state.addresses) {
    for (const info of entry.addr_info ?? []) {
      if (inSubnet(info.local)) found.push(`address ${info.local} on ${entry.ifname}`);
    }
  }
  for (const route of state.routes) {
    if (inSubnet(route.dst)) found.push(`route ${route.dst} dev ${route.dev ?? '?'}`);
  }
  return found;
}
