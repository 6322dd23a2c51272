// An outside observer of the test hosts: it samples every host's addresses and mounts through
// the namespaces (readHostState: netlink and the mount table, never a packet) round after round,
// and says where a floating address or a shared disk was held by more than one host at once.
import { type HostMount, readHostState } from './host-state.js';
import type { TestNetwork } from './test-network.js';

export interface ObservedHost {
  /** Addresses on eth0 other than the host's own. */
  readonly floating: readonly string[];
  /** Mounts made since the host was made (its boot mounts left out). */
  readonly mounts: readonly HostMount[];
}

export interface ObserverRound {
  /** Date.now() when the round started and when its last host answered. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly hosts: ReadonlyMap<string, ObservedHost>;
}

export interface SharedHolding {
  readonly startedAtMs: number;
  readonly holders: readonly string[];
}

/** Hosts in one round that hold `holds` (an address, a mount source…). */
export function holdersIn(round: ObserverRound, holds: (host: ObservedHost) => boolean): string[] {
  return [...round.hosts].filter(([, host]) => holds(host)).map(([name]) => name);
}

/**
 * Rounds where two or more hosts held the thing in this round and in the next one too. One
 * round alone does not prove it: the hosts of a round are read a few milliseconds apart, so a
 * move (removed here, then added there) can show on both. A holding shorter than the sampling
 * interval can go unseen.
 */
export function sharedHoldings(
  rounds: readonly ObserverRound[],
  holds: (host: ObservedHost) => boolean,
): SharedHolding[] {
  const found: SharedHolding[] = [];
  for (let i = 0; i + 1 < rounds.length; i++) {
    const here = holdersIn(rounds[i] as ObserverRound, holds);
    if (here.length < 2) continue;
    const next = new Set(holdersIn(rounds[i + 1] as ObserverRound, holds));
    const both = here.filter((name) => next.has(name));
    if (both.length >= 2)
      found.push({ startedAtMs: (rounds[i] as ObserverRound).startedAtMs, holders: both });
  }
  return found;
}

export class HostObserver {
  readonly rounds: ObserverRound[] = [];
  /** Rounds that failed (a host that could not be read), with why. */
  readonly errors: string[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  private constructor(
    private readonly network: TestNetwork,
    private readonly hostNames: readonly string[],
  ) {}

  /** Starts sampling `hostNames` (default: every cluster host) every `intervalMs`. */
  static start(
    network: TestNetwork,
    options: { intervalMs: number; hosts?: readonly string[] },
  ): HostObserver {
    const hostNames = options.hosts ?? network.clusterHosts.map((host) => host.name);
    const observer = new HostObserver(network, hostNames);
    observer.running = true;
    observer.loop = observer.run(options.intervalMs);
    return observer;
  }

  /** Takes one round now, besides the periodic ones. */
  async sample(): Promise<ObserverRound> {
    const startedAtMs = Date.now();
    const entries = await Promise.all(
      this.hostNames.map(async (name): Promise<[string, ObservedHost]> => {
        const state = await readSurvivingPowerOff(this.network, name);
        const own = this.network.host(name).address;
        const boot = this.network.bootMountIds(name);
        return [
          name,
          {
            floating: state.addresses.filter((address) => address !== own),
            mounts: state.mounts.filter((mount) => !boot.has(mount.id)),
          },
        ];
      }),
    );
    const round = { startedAtMs, endedAtMs: Date.now(), hosts: new Map(entries) };
    this.rounds.push(round);
    return round;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(intervalMs: number): Promise<void> {
    while (this.running) {
      await this.sample().catch((error: unknown) => {
        this.errors.push(error instanceof Error ? error.message : String(error));
      });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/** A read runs inside the host's namespaces: a power-off under way may kill it. */
function readSurvivingPowerOff(network: TestNetwork, name: string) {
  return network.survivingPowerOff(name, () => readHostState(observed(network, name)));
}

function observed(network: TestNetwork, name: string) {
  const host = network.host(name);
  return { namespace: host.namespace, mountNamespaceFile: host.paths.mountNamespaceFile };
}
