import {
  ClusterNode,
  type ConfigProposal,
  configFromEntryData,
  type LogEntry,
  type NodeId,
  type ObserverEvent,
  type PeerMessage,
  parseFenceEntry,
  type RandomSource,
  type VotingConfig,
} from '@quorate/core';
import { SimDisk } from './disk.js';

/** Election jitter fixed per node, so a transcript reads the same every time. */
function fixedJitter(offsetTicks: number): RandomSource {
  return { nextInt: (bound) => Math.min(Math.max(bound - 1, 0), offsetTicks) };
}

function showEntry(entry: LogEntry): string {
  const head = `${entry.index}@${entry.term}`;
  if (entry.kind === 'noop') return `${head}:noop`;
  if (entry.kind === 'config')
    return `${head}:config_version=${configFromEntryData(entry.data).version}`;
  if (entry.kind === 'fence') {
    const record = parseFenceEntry(entry.data);
    return `${head}:fence(${record?.node}#${record?.incarnation} by ${record?.by})`;
  }
  return `${head}:${entry.data}`;
}

export function showMessage(m: PeerMessage): string {
  const head = `${m.from}->${m.to} ${m.type} term=${m.term}`;
  switch (m.type) {
    case 'vote-request':
      return `${head}${m.preVote ? ' pre-vote' : ''} last=${m.lastLogIndex}@${m.lastLogTerm}`;
    case 'vote-response':
      return `${head}${m.preVote ? ' pre-vote' : ''} ${m.granted ? 'granted' : 'rejected'}`;
    case 'append-request':
      return `${head} prev=${m.prevIndex}@${m.prevTerm} entries=[${m.entries.map(showEntry).join(' ')}] commit=${m.commit}`;
    case 'append-response':
      return `${head} ${m.success ? 'ok' : 'refused'} match=${m.matchIndex}`;
    case 'install-snapshot':
      return `${head} snapshot=${m.snapshot.index}@${m.snapshot.term} config_version=${m.snapshot.config?.version ?? 0}`;
    case 'leave-notice':
      return `${head} incarnation=${m.incarnation}`;
  }
}

function showEvent(id: NodeId, e: ObserverEvent): string {
  switch (e.type) {
    case 'leader-changed':
      return `${id}: leader is ${e.leader ?? 'unknown'} (term ${e.term})`;
    case 'quorum-changed':
      return `${id}: ${e.quorate ? 'quorate' : 'inquorate'} votes=${e.votes} expected=${e.expectedVotes} quorum=${e.quorum}`;
    case 'membership-changed': {
      const parts = [`members=${e.members.join(',')}`];
      if (e.joined.length > 0) parts.push(`joined=${e.joined.join(',')}`);
      if (e.lost.length > 0) parts.push(`lost=${e.lost.join(',')}`);
      if (e.restarted.length > 0) parts.push(`restarted=${e.restarted.join(',')}`);
      if (e.left.length > 0) parts.push(`left=${e.left.join(',')}`);
      return `${id}: membership ${parts.join(' ')}`;
    }
    case 'entry-committed':
      return `${id}: applied ${showEntry(e.entry)}`;
    case 'formation-stopped':
      return `${id}: ${e.message}`;
    case 'join-refused':
      return `${id}: join refused: ${e.message}`;
    case 'expected-votes-forced':
      return `${id}: AUDIT expected votes forced to ${e.expectedVotes} (cluster.conf version ${e.version}; fenced or acknowledged: ${e.absent.join(',')})`;
  }
}

/** An empty append is a heartbeat: noise unless a transcript asks for it. */
function isHeartbeat(m: PeerMessage): boolean {
  return m.type === 'append-request' && m.entries.length === 0;
}

/**
 * The lock-step world of a transcript: nodes with fixed jitter, a FIFO of messages in flight,
 * cut links, crashes with durable disks. Every command returns the lines it printed.
 */
export class TranscriptEnv {
  private config: VotingConfig | null = null;
  private tickMs = 100;
  private readonly offsets = new Map<NodeId, number>();
  private readonly nodes = new Map<NodeId, ClusterNode>();
  private readonly disks = new Map<NodeId, SimDisk>();
  /** Each host's cluster.conf file (null: none): what a (re)started node starts with. */
  private readonly files = new Map<NodeId, string | null>();

  private readonly cut = new Set<string>();
  private inFlight: PeerMessage[] = [];
  showMessages = false;
  showHeartbeats = false;

  ids(): NodeId[] {
    return [...this.disks.keys()];
  }

  /** Starts every voter of `config`; `fileOf` gives each host's own cluster.conf, if any. */
  addNodes(
    config: VotingConfig,
    tickMs: number,
    offsets: readonly number[],
    fileOf: (id: NodeId) => string | null = () => null,
  ): string[] {
    this.config = config;
    this.tickMs = tickMs;
    const out: string[] = [];
    config.voters.forEach((voter, i) => {
      this.offsets.set(voter.id, offsets[i] ?? 0);
      this.disks.set(voter.id, new SimDisk());
      if (!this.files.has(voter.id)) this.files.set(voter.id, fileOf(voter.id));
    });
    for (const voter of config.voters) out.push(...this.start(voter.id));
    return out;
  }

  start(id: NodeId): string[] {
    const disk = this.disks.get(id);
    if (!this.config || !disk) throw new Error(`${id}: no such node (add-nodes first)`);
    if (this.nodes.has(id)) throw new Error(`${id}: already running`);
    const restored = disk.restore();
    const clusterConf = this.files.get(id);
    const node = new ClusterNode({
      id,
      config: this.config,
      tickMs: this.tickMs,
      random: fixedJitter(this.offsets.get(id) ?? 0),
      ...(restored ? { restored } : {}),
      ...(clusterConf ? { clusterConf } : {}),
    });
    this.nodes.set(id, node);
    return this.flush(id);
  }

  crash(id: NodeId): void {
    if (!this.nodes.delete(id)) throw new Error(`${id}: not running`);
  }

  /** Sets a host's own cluster.conf file (before `add-nodes` starts it, or while it is down). */
  setFile(id: NodeId, text: string | null): void {
    if (this.nodes.has(id)) throw new Error(`${id}: running; crash it first`);
    this.files.set(id, text);
  }

  /** Any input to one node (fence confirmations, acknowledgements, leave). */
  input(id: NodeId, input: Parameters<ClusterNode['step']>[0]): string[] {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`${id}: not running`);
    const accepted = node.step(input);
    return [...(accepted ? [] : [`${id}: ${input.type} refused`]), ...this.flush(id)];
  }

  /**
   * The fence devices of `fencers` act at the same moment, each on its node's `fenceNeeded`:
   * every victim is powered off first, then each fencer that still runs hears of its success.
   */
  fenceDevices(fencers: readonly NodeId[]): string[] {
    const out: string[] = [];
    const requests = fencers.flatMap((id) => {
      const request = this.nodes.get(id)?.status().fenceNeeded;
      if (!request) out.push(`${id}: no fence needed`);
      return request ? [{ fencer: id, request }] : [];
    });
    for (const { fencer, request } of requests) {
      out.push(`${fencer}: fence device powers off ${request.node}`);
      this.nodes.delete(request.node);
    }
    for (const { fencer, request } of requests) {
      if (!this.nodes.has(fencer)) continue;
      out.push(...this.input(fencer, { type: 'fence-confirmed', ...request }));
    }
    return out;
  }

  forceExpected(id: NodeId, expectedVotes: number): string[] {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`${id}: not running`);
    const result = node.forceExpectedVotes(expectedVotes);
    const head = result.accepted
      ? [`${id}: cluster.conf version ${result.version} forced`]
      : [`${id}: refused (${result.rule})`, ...result.message.split('\n').map((l) => `  ${l}`)];
    return [...head, ...this.flush(id)];
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /** One round of ticks for `ids`, without delivering anything. */
  tick(ids: readonly NodeId[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const node = this.nodes.get(id);
      if (!node) continue;
      node.tick();
      out.push(...this.flush(id));
    }
    return out;
  }

  /** A host that starts outside the voting set, with the same startup configuration. */
  addHost(id: NodeId, offset: number): string[] {
    if (this.disks.has(id)) throw new Error(`${id}: already exists`);
    this.offsets.set(id, offset);
    this.disks.set(id, new SimDisk());
    return this.start(id);
  }

  proposeConfig(id: NodeId, proposal: ConfigProposal): string[] {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`${id}: not running`);
    const result = node.proposeConfig(proposal);
    const head = result.accepted
      ? [
          `${id}: cluster.conf version ${result.version} appended at index ${result.index}${node.status().joint ? ' (voting set changes: old and new quorum until committed)' : ''}`,
        ]
      : [`${id}: refused (${result.rule})`, ...result.message.split('\n').map((l) => `  ${l}`)];
    return [...head, ...this.flush(id)];
  }

  propose(id: NodeId, data: string): string[] {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`${id}: not running`);
    const accepted = node.step({ type: 'propose', data });
    return [
      `${id}: proposal ${data} ${accepted ? 'accepted' : 'refused (not the leader)'}`,
      ...this.flush(id),
    ];
  }

  /** Delivers what is in flight now (not what that produces); returns what it printed. */
  deliverRound(): string[] {
    const batch = this.inFlight;
    this.inFlight = [];
    const out: string[] = [];
    for (const message of batch) {
      const target = this.nodes.get(message.to);
      const dropped = !target || this.cut.has(`${message.from}>${message.to}`);
      if (this.showMessages && (this.showHeartbeats || !isHeartbeat(message))) {
        out.push(`${dropped ? 'dropped ' : ''}${showMessage(message)}`);
      }
      if (!target || dropped) continue;
      target.step(message);
      out.push(...this.flush(message.to));
    }
    return out;
  }

  hasInFlight(): boolean {
    return this.inFlight.length > 0;
  }

  status(): string[] {
    return this.ids().map((id) => {
      const node = this.nodes.get(id);
      if (!node) return `${id}: down`;
      const s = node.status();
      const extra = [
        s.configVersion > 0 ? ` config=${s.configVersion}` : '',
        s.joint ? ' joint' : '',
        s.voter ? '' : ' non-voter',
        s.waitingForAll ? ' waiting-for-all' : '',
        s.fenceNeeded ? ` fence-needed=${s.fenceNeeded.node}#${s.fenceNeeded.incarnation}` : '',
        s.formationStopped ? ' formation-stopped' : '',
        s.joinRefused ? ' join-refused' : '',
        s.left ? ' left' : '',
      ].join('');
      return `${id}: ${s.role} term=${s.term} leader=${s.leader ?? '-'} commit=${s.commit} last=${s.lastIndex} ${s.quorate ? 'quorate' : 'inquorate'} members=${s.members.join(',')}${extra}`;
    });
  }

  log(id: NodeId): string[] {
    const node = this.nodes.get(id);
    if (!node) return [`${id}: down`];
    const entries: string[] = [];
    for (let i = 1; i <= node.status().lastIndex; i++) {
      const entry = node.entryAt(i);
      if (entry) entries.push(showEntry(entry));
    }
    return [`${id}: ${entries.join(' ') || '(empty)'}`];
  }

  private flush(id: NodeId): string[] {
    const node = this.nodes.get(id);
    const disk = this.disks.get(id);
    if (!node || !disk) return [];
    const ready = node.ready();
    disk.write(ready.persist);
    this.inFlight.push(...ready.messages);
    node.advance(ready);
    const newest = ready.configWrites.at(-1);
    if (newest) this.files.set(id, newest.text);
    const writes = ready.configWrites.map((w) => `${id}: writes cluster.conf version ${w.version}`);
    return [...ready.events.map((event) => showEvent(id, event)), ...writes];
  }
}
