import { ClusterNode } from './node.js';
import type {
  HardState,
  LogEntry,
  NodeId,
  NodeInput,
  ObserverEvent,
  PeerMessage,
  Ready,
  Snapshot,
  VotingConfig,
} from './types.js';

/**
 * Test support for consensus tests (pure, no I/O): a lock-step cluster whose hosts persist
 * to in-memory disks that store snapshots, keep a command-log state machine and record every
 * cluster.conf write. Not exported from the package.
 */

export function confText(
  version: number,
  nodes: readonly string[] = ['n1', 'n2', 'n3'],
  votes: Readonly<Record<string, number>> = {},
): string {
  const clusterNodes = nodes.map(
    (node, i) =>
      `    <clusternode name="${node}" nodeid="${i + 1}" votes="${votes[node] ?? 1}"><fence><method name="single">` +
      `<device name="manual" nodename="${node}"/></method></fence></clusternode>`,
  );
  return [
    '<?xml version="1.0"?>',
    `<cluster name="alpha" config_version="${version}">`,
    '  <cman/>',
    '  <clusternodes>',
    ...clusterNodes,
    '  </clusternodes>',
    '  <fencedevices><fencedevice name="manual" agent="fence_manual"/></fencedevices>',
    '</cluster>',
    '',
  ].join('\n');
}

/** Far more than any test's cluster exchanges in one tick. */
const MAX_MESSAGES_PER_TICK = 10_000;

interface Disk {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  entries: LogEntry[];
}

/** Lock-step world with durable disks that store snapshots, and written cluster.conf files. */
export class World {
  readonly nodes = new Map<NodeId, ClusterNode>();
  readonly disks = new Map<NodeId, Disk>();
  readonly files = new Map<NodeId, Array<{ version: number; text: string }>>();
  readonly appStates = new Map<NodeId, string>();
  readonly down = new Set<NodeId>();
  /** Every event each host's node published, across its restarts. */
  readonly events = new Map<NodeId, ObserverEvent[]>();
  /** Each host's own cluster.conf (the `clusterConf` its node starts with), if any. */
  readonly ownFiles = new Map<NodeId, string>();
  compactEvery = 0;
  private queue: PeerMessage[] = [];

  readonly cut = new Set<string>();
  /** The voting configuration every host starts with (a host added later starts with it too). */
  readonly startup: VotingConfig;

  constructor(
    readonly ids: NodeId[] = ['n1', 'n2', 'n3'],
    votes: Readonly<Record<string, number>> = {},
    waitForAll = false,
    options: { twoNode?: boolean; files?: Readonly<Record<string, string>> } = {},
  ) {
    const voters = ids.map((id) => ({ id, votes: votes[id] ?? 1 }));
    const twoNode = options.twoNode ?? false;
    this.startup = twoNode
      ? { voters, expectedVotes: 1, tokenMs: 1000, waitForAll: true, twoNode }
      : { voters, expectedVotes: 0, tokenMs: 1000, waitForAll };
    for (const [id, text] of Object.entries(options.files ?? {})) this.ownFiles.set(id, text);
    for (const id of ids) this.start(id);
  }

  /** The events of `type` that `id` published. */
  eventsOf<T extends ObserverEvent['type']>(
    id: NodeId,
    type: T,
  ): Array<Extract<ObserverEvent, { type: T }>> {
    return (this.events.get(id) ?? []).filter(
      (e): e is Extract<ObserverEvent, { type: T }> => e.type === type,
    );
  }

  /** Feeds any input to a running node and carries out its `ready()`. */
  input(id: NodeId, input: NodeInput): boolean {
    const accepted = this.node(id).step(input);
    this.flush(id);
    return accepted;
  }

  /** A new host that starts outside the voting set, with the startup configuration. */
  addHost(id: NodeId): void {
    this.ids.push(id);
    this.start(id);
  }

  node(id: NodeId): ClusterNode {
    return this.nodes.get(id)!;
  }

  start(id: NodeId): void {
    const disk = this.disks.get(id);
    const rank = this.ids.indexOf(id);
    const clusterConf = this.ownFiles.get(id);
    const node = new ClusterNode({
      id,
      config: this.startup,
      tickMs: 100,
      random: { nextInt: (bound) => Math.min(bound - 1, Math.floor((rank * bound) / 2)) },
      ...(disk ? { restored: disk } : {}),
      ...(clusterConf ? { clusterConf } : {}),
    });
    this.nodes.set(id, node);
    this.files.set(id, []);
    this.appStates.set(id, '');
    this.down.delete(id);
    this.flush(id);
  }

  crash(id: NodeId): void {
    this.down.add(id);
    this.queue = this.queue.filter((m) => m.to !== id && m.from !== id);
  }

  flush(id: NodeId): Ready {
    const node = this.node(id);
    const ready = node.ready();
    const disk = this.disks.get(id) ?? {
      hardState: { term: 0, vote: null, commit: 0, incarnation: 0 },
      snapshot: undefined,
      entries: [],
    };
    for (const record of ready.persist) {
      const offset = disk.snapshot?.index ?? 0;
      if (record.kind === 'hard-state') disk.hardState = record.state;
      else if (record.kind === 'snapshot') {
        disk.entries = record.retainLog ? disk.entries.slice(record.snapshot.index - offset) : [];
        disk.snapshot = record.snapshot;
      } else {
        disk.entries.length = record.entries[0]!.index - 1 - offset;
        disk.entries.push(...record.entries);
      }
    }
    this.disks.set(id, disk);
    this.events.set(id, [...(this.events.get(id) ?? []), ...ready.events]);
    this.queue.push(...ready.messages);
    if (ready.snapshot) this.appStates.set(id, ready.snapshot.appState);
    for (const entry of ready.committed) {
      if (entry.kind === 'command')
        this.appStates.set(id, `${this.appStates.get(id)}${entry.data};`);
    }
    this.files
      .get(id)!
      .push(...ready.configWrites.map((w) => ({ version: w.version, text: w.text })));
    const newest = ready.configWrites.at(-1);
    if (newest) this.ownFiles.set(id, newest.text);
    node.advance(ready);
    if (
      this.compactEvery > 0 &&
      node.status().commit - node.status().snapshotIndex >= this.compactEvery
    ) {
      node.compact(this.appStates.get(id)!);
    }
    return ready;
  }

  tick(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const id of this.ids) {
        if (this.down.has(id)) continue;
        this.node(id).tick();
        this.flush(id);
      }
      let delivered = 0;
      while (this.queue.length > 0) {
        // Two nodes answering each other for ever would otherwise hang the test run.
        if (++delivered > MAX_MESSAGES_PER_TICK) {
          throw new Error(
            `more than ${MAX_MESSAGES_PER_TICK} messages in one tick: a message loop`,
          );
        }
        const message = this.queue.shift()!;
        if (this.down.has(message.to) || this.cut.has(`${message.from}>${message.to}`)) continue;
        this.node(message.to).step(message);
        this.flush(message.to);
      }
    }
  }

  propose(id: NodeId, data: string): void {
    this.node(id).step({ type: 'propose', data });
    this.flush(id);
  }
}
