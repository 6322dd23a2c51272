import {
  type ClusterNode,
  type ControllerBug,
  type NodeId,
  type PlantedBug,
  ServiceController,
  type VotingConfig,
} from '@quorate/core';
import { SimDisk } from './disk.js';
import { Prng } from './prng.js';

/**
 * One simulated host: its disk survives crashes, its process (a `ServiceController` around the
 * consensus `ClusterNode`) does not.
 */
export class SimHost {
  readonly disk = new SimDisk();
  controller: ServiceController | null = null;
  /** Simulated ms at which the current process started. */
  startedMs = 0;
  /** The host-local tick at which the process last believed itself quorate (rule 5). */
  lastQuorateTick = 0;
  /** A fabric fence cut the host off its storage and network; it runs on until rebooted. */
  fabricCut = false;
  /** Probe operations (status of every resource at startup) still running. */
  probesInFlight = 0;
  /** Ticks delivered to the current process (equals the process's own tick count). */
  localTicks = 0;
  incarnations = 0;
  /** Highest index the current process has applied. */
  appliedIndex = 0;
  /** The host's cluster.conf file: the text it starts each process with. */
  confText: string | null = null;
  /** How long this host's fence device waits before it acts (the two_node race breaker). */
  fenceDelayMs = 0;
  /** The process whose fence operation is in progress, if any. */
  fencing: ServiceController | null = null;
  /** Set when the fault scheduler wants the next write torn and the process dead. */
  crashAtNextWrite = false;
  pausedUntilMs = 0;
  missedTicks = 0;
  /** Messages that arrived while the host was paused, delivered when it resumes. */
  held: Array<() => void> = [];

  constructor(
    readonly id: NodeId,
    /** This host's tick period: the nominal tick with its clock drift. */
    readonly tickPeriodMs: number,
    private readonly seed: number,
    /** Distinct per host so that hosts draw different election jitter. */
    private readonly stream: number,
  ) {}

  /** The consensus node inside the current process. */
  get process(): ClusterNode | null {
    return this.controller?.node ?? null;
  }

  get up(): boolean {
    return this.controller !== null;
  }

  start(
    config: VotingConfig,
    tickMs: number,
    plant: PlantedBug | null,
    maxEntriesPerMessage: number,
    controllerPlant: ControllerBug | null,
    nowMs: number,
  ): ServiceController {
    this.incarnations++;
    const restored = this.disk.restore();
    if (!this.confText) throw new Error(`${this.id}: a host needs a cluster.conf to run services`);
    this.controller = new ServiceController({
      id: this.id,
      config,
      tickMs,
      random: new Prng(this.seed, 1000 * this.stream + this.incarnations),
      ...(restored ? { restored } : {}),
      plant,
      maxEntriesPerMessage,
      clusterConf: this.confText,
      controllerPlant,
    });
    this.localTicks = 0;
    this.lastQuorateTick = 0;
    this.probesInFlight = 0;
    this.appliedIndex = 0;
    this.startedMs = nowMs;
    this.fabricCut = false;
    return this.controller;
  }

  stop(): void {
    this.controller = null;
    this.fencing = null;
    this.crashAtNextWrite = false;
    this.held = [];
    this.missedTicks = 0;
    this.pausedUntilMs = 0;
  }
}
