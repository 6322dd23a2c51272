// A named test network: N cluster hosts plus a client and a console host, each its own network,
// mount and UTS namespace, all on one bridge kept in a switch namespace. Processes run inside
// hosts; links are cut and healed with packet filter rules; hosts are powered off and on.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mustRun } from './command.js';
import { HostProcess } from './host-process.js';
import {
  createHostMountNamespace,
  createNetwork,
  hostCommandArgs,
  prepareNamespaceFolder,
} from './host-setup.js';
import { readHostState } from './host-state.js';
import {
  assertHostName,
  type HostPaths,
  hostInterface,
  hostMac,
  hostPaths,
  namespaceName,
  newRunId,
  runPaths,
} from './layout.js';
import { anyHost, type Block, LinkCuts } from './link-filter.js';
import {
  killUntilNone,
  type NamespaceId,
  namespaceIdOf,
  processesInNamespaces,
  readStartTime,
} from './procfs.js';
import { appendProcessRecord, writeManifest } from './run-record.js';
import { type SweepReport, sweep } from './sweep.js';

export type HostRole = 'cluster' | 'client' | 'console';

export interface TestHost {
  name: string;
  role: HostRole;
  /** The host's own IPv4 address on eth0. */
  address: string;
  mac: string;
  /** Its network namespace (`ip -n <namespace>`). */
  namespace: string;
  paths: HostPaths;
}

export interface TestNetworkOptions {
  /** Cluster hosts `node1` … `nodeN`; default 3. */
  clusterHosts?: number;
  /** Add a `client` host; default true. */
  client?: boolean;
  /** Add a `console` host; default true. */
  console?: boolean;
  /** The first three octets of the run's /24; default `10.231.0`. */
  subnet?: string;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** The working directory inside the host (the host's root otherwise). */
  cwd?: string;
}

export interface ExecOptions extends SpawnOptions {
  timeoutMs?: number;
  input?: string;
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export type HostCutDirection = 'both' | 'inbound' | 'outbound';

const prefixLength = 24;

export class TestNetwork {
  private readonly cuts: LinkCuts;
  private readonly poweredOff = new Set<string>();
  /** Power-offs under way, by host. */
  private readonly powerOffs = new Map<string, Promise<void>>();
  private readonly floating = new Map<string, Set<string>>();
  private readonly started: HostProcess[] = [];
  private readonly powerListeners = new Set<(host: string, on: boolean) => void>();
  /** Each host's mount ids right after it was made: what its "fstab" mounts at boot. */
  private readonly bootMounts = new Map<string, Set<number>>();

  private constructor(
    readonly runId: string,
    readonly subnet: string,
    readonly hosts: ReadonlyMap<string, TestHost>,
  ) {
    const macOf = (name: string) => this.host(name).mac;
    this.cuts = new LinkCuts([...hosts.keys()], macOf, (name, script) =>
      this.survivingPowerOff(name, () =>
        mustRun('nsenter', [`--net=/run/netns/${this.host(name).namespace}`, 'nft', '-f', '-'], {
          input: script,
        }),
      ),
    );
  }

  /**
   * Runs `command`, which starts a process inside host `name`'s namespaces. A power-off under
   * way kills it with everything else there (it kills until none is left, so a retry at once
   * could be killed too: CI saw it five times in a row): it runs again once that power-off is
   * over.
   */
  async survivingPowerOff<T>(name: string, command: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await command();
      } catch (error) {
        if (attempt === 5 || !String(error).includes('signal SIGKILL')) throw error;
        await this.powerOffSettled(name);
      }
    }
  }

  /** Builds the network. If building fails midway, whatever was made is swept before rethrowing. */
  static async create(options: TestNetworkOptions = {}): Promise<TestNetwork> {
    const { clusterHosts = 3, subnet = '10.231.0' } = options;
    const withClient = options.client ?? true;
    const withConsole = options.console ?? true;
    if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(subnet)) {
      throw new Error(`subnet: "${subnet}" must be the first three octets of an IPv4 /24`);
    }
    if (!Number.isInteger(clusterHosts) || clusterHosts < 1 || clusterHosts > 99) {
      throw new Error(`clusterHosts: ${clusterHosts} must be an integer from 1 to 99`);
    }
    const roles: Array<[string, HostRole, number]> = [];
    for (let i = 1; i <= clusterHosts; i++) roles.push([`node${i}`, 'cluster', i]);
    if (withClient) roles.push(['client', 'client', 201]);
    if (withConsole) roles.push(['console', 'console', 202]);

    const runId = newRunId();
    const hosts = new Map<string, TestHost>();
    roles.forEach(([name, role, octet], index) => {
      assertHostName(name);
      const address = `${subnet}.${octet}`;
      const namespace = namespaceName(runId, name);
      const paths = hostPaths(runId, name);
      hosts.set(name, { name, role, address, mac: hostMac(index), namespace, paths });
    });

    mkdirSync(runPaths(runId).hostsDir, { recursive: true });
    const owner = { pid: process.pid, startTime: readStartTime(process.pid) ?? -1 };
    const createdAt = new Date().toISOString();
    writeManifest({ runId, owner, createdAt, hosts: [...hosts.keys()], subnet });
    const network = new TestNetwork(runId, subnet, hosts);
    try {
      await createNetwork(runId, [...hosts.values()], prefixLength);
      await prepareNamespaceFolder(runId);
      // One at a time: each host detaches the namespace-file mounts it copied from the machine,
      // which must not change between its listing and its copy.
      for (const name of hosts.keys()) await createHostMountNamespace(runId, name);
      await network.recordBootMounts();
    } catch (error) {
      await sweep(runId).catch(() => undefined);
      throw error;
    }
    return network;
  }

  host(name: string): TestHost {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`host: "${name}" is not in run ${this.runId}`);
    return host;
  }

  get clusterHosts(): TestHost[] {
    return [...this.hosts.values()].filter((host) => host.role === 'cluster');
  }

  /** Every process this network started on its hosts, in start order. */
  get processes(): readonly HostProcess[] {
    return this.started;
  }

  /** Starts `command` in the host's network, mount and UTS namespaces and records its pid. */
  spawn(
    hostName: string,
    command: string,
    args: readonly string[] = [],
    options: SpawnOptions = {},
  ): HostProcess {
    const host = this.host(hostName);
    const nsenterArgs = hostCommandArgs(this.runId, host.name, command, args, options.cwd);
    const child = spawn('nsenter', nsenterArgs, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    if (child.pid === undefined) {
      child.on('error', () => undefined);
      throw new Error(`${host.name}: could not start nsenter for ${command}`);
    }
    // nsenter execs the command, so this pid is the command's; a start time that cannot be read
    // means it already exited, and -1 never matches a live process.
    const identity = { pid: child.pid, startTime: readStartTime(child.pid) ?? -1 };
    const argv = [command, ...args];
    appendProcessRecord(this.runId, { ...identity, host: host.name, argv });
    const hostProcess = new HostProcess(host.name, argv, identity, child);
    this.started.push(hostProcess);
    return hostProcess;
  }

  /** Runs `command` on the host to completion (killed after `timeoutMs`, default 15 s). */
  async exec(
    hostName: string,
    command: string,
    args: readonly string[] = [],
    options: ExecOptions = {},
  ): Promise<ExecResult> {
    const { timeoutMs = 15_000, input, ...spawnOptions } = options;
    const running = this.spawn(hostName, command, args, spawnOptions);
    running.stdin?.end(input ?? '');
    const timer = setTimeout(() => running.kill('SIGKILL'), timeoutMs);
    const status = await running.exited.finally(() => clearTimeout(timer));
    return { ...status, stdout: running.output('stdout'), stderr: running.output('stderr') };
  }

  // ----- link cuts -----

  /** Drops traffic between two hosts: both ways, or only from `from` to `to` with `oneWay`. */
  async cutLink(from: string, to: string, options: { oneWay?: boolean } = {}): Promise<void> {
    this.host(from);
    this.host(to);
    const blocks = [{ from, to }];
    if (!options.oneWay) blocks.push({ from: to, to: from });
    await this.cuts.change(blocks, []);
  }

  /** Cuts a host off from every other host: inbound, outbound or both. */
  async cutHost(name: string, direction: HostCutDirection = 'both'): Promise<void> {
    this.host(name);
    const blocks: Block[] = [];
    if (direction !== 'inbound') blocks.push({ from: name, to: anyHost });
    if (direction !== 'outbound') blocks.push({ from: anyHost, to: name });
    await this.cuts.change(blocks, []);
  }

  /** Removes the cuts between two hosts, in both directions. */
  async healLink(a: string, b: string): Promise<void> {
    await this.cuts.change(
      [],
      [
        { from: a, to: b },
        { from: b, to: a },
      ],
    );
  }

  /** Removes every cut that involves the host (host-wide and between it and another host). */
  async healHost(name: string): Promise<void> {
    this.host(name);
    const involving = this.cuts.list().filter((b) => b.from === name || b.to === name);
    await this.cuts.change([], involving);
  }

  async healAll(): Promise<void> {
    await this.cuts.change([], this.cuts.list());
  }

  /** The blocked directions in force; `*` stands for every host. */
  currentBlocks(): Block[] {
    return this.cuts.list();
  }

  // ----- power -----

  isPoweredOn(name: string): boolean {
    this.host(name);
    return !this.poweredOff.has(name);
  }

  /**
   * Power fence: the link goes down, then every process in the host gets SIGKILL. What a rebooted
   * host would not hold goes too: every address on eth0 but its own (the harness's floating
   * addresses and any a resource agent added), and every whole file system mounted since the
   * host was made (a resource's fs or netfs; bind mounts the harness made stay).
   */
  async powerOff(name: string): Promise<void> {
    const done = this.cutPower(name);
    this.powerOffs.set(name, done);
    try {
      await done;
    } finally {
      if (this.powerOffs.get(name) === done) this.powerOffs.delete(name);
    }
  }

  /** Resolves once no power-off of `name` is under way. */
  private powerOffSettled(name: string): Promise<void> {
    return (this.powerOffs.get(name) ?? Promise.resolve()).catch(() => undefined);
  }

  private async cutPower(name: string): Promise<void> {
    const host = this.host(name);
    this.poweredOff.add(name);
    await mustRun('ip', ['-n', host.namespace, 'link', 'set', hostInterface, 'down']);
    const namespaces = [
      namespaceIdOf(`/run/netns/${host.namespace}`),
      namespaceIdOf(host.paths.mountNamespaceFile),
      namespaceIdOf(host.paths.utsNamespaceFile),
    ].filter((id): id is NamespaceId => id !== undefined);
    await killUntilNone(() => processesInNamespaces(namespaces));
    this.floating.delete(name);
    await this.dropVolatileState(host);
    this.notifyPower(name, false);
  }

  /**
   * Calls `listener` after every power-off and power-on, whoever asked (a test, a fence agent):
   * a test can start a host's agent at boot, as its init system would. Returns the unsubscribe.
   */
  onPowerChange(listener: (host: string, on: boolean) => void): () => void {
    this.powerListeners.add(listener);
    return () => this.powerListeners.delete(listener);
  }

  private notifyPower(name: string, on: boolean): void {
    for (const listener of this.powerListeners) listener(name, on);
  }

  /** The ids of the mounts the host had when it was made (in /proc/self/mountinfo). */
  bootMountIds(name: string): ReadonlySet<number> {
    this.host(name);
    return this.bootMounts.get(name) ?? new Set<number>();
  }

  private async recordBootMounts(): Promise<void> {
    for (const host of this.hosts.values()) {
      const state = await readHostState({
        ...host,
        mountNamespaceFile: host.paths.mountNamespaceFile,
      });
      this.bootMounts.set(host.name, new Set(state.mounts.map((mount) => mount.id)));
    }
  }

  private async dropVolatileState(host: TestHost): Promise<void> {
    const state = await readHostState({
      ...host,
      mountNamespaceFile: host.paths.mountNamespaceFile,
    });
    for (const address of state.addresses) {
      if (address !== host.address) await this.setAddress(host.namespace, 'del', address);
    }
    const boot = this.bootMounts.get(host.name) ?? new Set<number>();
    // Newest first, so a mount on top of another goes before it.
    const mounted = state.mounts.filter((mount) => !boot.has(mount.id) && mount.root === '/');
    for (const mount of mounted.sort((a, b) => b.id - a.id)) {
      await mustRun('nsenter', [
        `--mount=${host.paths.mountNamespaceFile}`,
        '--',
        'umount',
        '--lazy',
        mount.target,
      ]);
    }
  }

  /** Link up again with an empty neighbour cache, as after a boot. Processes are not restarted. */
  async powerOn(name: string): Promise<void> {
    const host = this.host(name);
    await mustRun('ip', ['-n', host.namespace, 'neigh', 'flush', 'dev', hostInterface]);
    await mustRun('ip', ['-n', host.namespace, 'link', 'set', hostInterface, 'up']);
    this.poweredOff.delete(name);
    this.notifyPower(name, true);
  }

  // ----- floating addresses -----

  floatingAddresses(name: string): string[] {
    return [...(this.floating.get(name) ?? [])];
  }

  /**
   * Adds a secondary address on the host's eth0. With `announce` (default) the host sends two
   * gratuitous ARPs, one second apart, so neighbours move their cache entries (their lock time
   * is one second).
   */
  async addAddress(
    name: string,
    address: string,
    options: { announce?: boolean } = {},
  ): Promise<void> {
    const host = this.host(name);
    this.assertFloatingAddress(address);
    await this.setAddress(host.namespace, 'add', address);
    const set = this.floating.get(name) ?? new Set<string>();
    this.floating.set(name, set.add(address));
    if (options.announce === false || !this.isPoweredOn(name)) return;
    const arping = await this.exec(name, 'arping', ['-U', '-c', '2', '-I', hostInterface, address]);
    if (arping.code !== 0) {
      throw new Error(`${name}: arping ${address}: exit ${arping.code}: ${arping.stderr.trim()}`);
    }
  }

  async removeAddress(name: string, address: string): Promise<void> {
    const host = this.host(name);
    if (!this.floating.get(name)?.delete(address)) {
      throw new Error(`${name}: ${address} is not a floating address of this host`);
    }
    await this.setAddress(host.namespace, 'del', address);
  }

  /** Moves a floating address from one host to another and announces it from there. */
  async moveAddress(address: string, from: string, to: string): Promise<void> {
    await this.removeAddress(from, address);
    await this.addAddress(to, address);
  }

  private async setAddress(namespace: string, verb: 'add' | 'del', address: string): Promise<void> {
    const cidr = `${address}/${prefixLength}`;
    await mustRun('ip', ['-n', namespace, 'addr', verb, cidr, 'dev', hostInterface]);
  }

  private assertFloatingAddress(address: string): void {
    const last = Number(address.slice(this.subnet.length + 1));
    const inSubnet = address.startsWith(`${this.subnet}.`) && Number.isInteger(last);
    if (!inSubnet || last < 1 || last > 254) {
      throw new Error(
        `address: ${address} is not a host address in ${this.subnet}.0/${prefixLength}`,
      );
    }
    for (const host of this.hosts.values()) {
      if (host.address === address) throw new Error(`address: ${address} is ${host.name}'s own`);
    }
    for (const [name, set] of this.floating) {
      if (set.has(address)) throw new Error(`address: ${address} is already on ${name}`);
    }
  }

  // ----- teardown -----

  /** Kills every process, then removes the mounts, the namespaces and the run's folder. */
  async destroy(): Promise<SweepReport> {
    return sweep(this.runId);
  }
}
