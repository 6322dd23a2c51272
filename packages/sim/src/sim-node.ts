import { ClusterNode, type NodeId, type PlantedBug, type VotingConfig } from '@quorate/core';
import { SimDisk } from './disk.js';
import { Prng } from './prng.js';

/** One simulated host: its disk survives crashes, its process (the `ClusterNode`) does not. */
export class SimHost {
  readonly disk = new SimDisk();
  process: ClusterNode | null = null;
  /** Ticks delivered to the current process (equals the process's own tick count). */
  localTicks = 0;
  incarnations = 0;
  /** Highest index the current process has applied. */
  appliedIndex = 0;
  /** The host's state machine (see `chainDigest`), rebuilt by each process from its log. */
  appDigest = 0;
  /** The host's cluster.conf file: the text it starts each process with. */
  confText: string | null = null;
  /** How long this host's fence device waits before it acts (the two_node race breaker). */
  fenceDelayMs = 0;
  /** The process whose fence operation is in progress, if any. */
  fencing: ClusterNode | null = null;
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

  get up(): boolean {
    return this.process !== null;
  }

  start(
    config: VotingConfig,
    tickMs: number,
    plant: PlantedBug | null,
    maxEntriesPerMessage: number,
  ): ClusterNode {
    this.incarnations++;
    const restored = this.disk.restore();
    this.process = new ClusterNode({
      id: this.id,
      config,
      tickMs,
      random: new Prng(this.seed, 1000 * this.stream + this.incarnations),
      ...(restored ? { restored } : {}),
      plant,
      maxEntriesPerMessage,
      ...(this.confText ? { clusterConf: this.confText } : {}),
    });
    this.localTicks = 0;
    this.appliedIndex = 0;
    this.appDigest = 0;
    return this.process;
  }

  stop(): void {
    this.process = null;
    this.fencing = null;
    this.crashAtNextWrite = false;
    this.held = [];
    this.missedTicks = 0;
    this.pausedUntilMs = 0;
  }
}
