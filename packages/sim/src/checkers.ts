import {
  deriveVotingRule,
  type FenceRecord,
  type HardState,
  type LogEntry,
  type NodeId,
  type ObserverEvent,
  type PeerMessage,
  type PersistRecord,
  parseFenceEntry,
  type Snapshot,
  type VotingConfig,
  type VotingRule,
  votingConfigOf,
} from '@quorate/core';
import type { SimDisk } from './disk.js';

/** What the checker remembers about one incarnation of one node. */
interface NodeWatch {
  nextApply: number;
  believesQuorate: boolean;
  leaderView: NodeId | null;
  /** The term of this node's own leadership, while `leaderView` is itself. */
  leaderTerm: number;
  /** Local tick of the last arrival, keyed `from|term`. */
  readonly arrivals: Map<string, number>;
  /** Local tick of the last append from a leader that believed itself quorate, keyed `from|term`. */
  readonly quorateAppends: Map<string, number>;
}

function freshWatch(): NodeWatch {
  return {
    nextApply: 1,
    believesQuorate: false,
    leaderView: null,
    leaderTerm: 0,
    arrivals: new Map(),
    quorateAppends: new Map(),
  };
}

function sameEntry(a: LogEntry, b: LogEntry): boolean {
  return a.index === b.index && a.term === b.term && a.kind === b.kind && a.data === b.data;
}

/** The two_node rule a lone leader broke, named in its violation. */
function twoNodeNote(rule: VotingRule): string {
  return rule.current.twoNode && !rule.joint
    ? " (two_node: deciding alone needs the term's first entry to be a fence of the peer's current incarnation)"
    : '';
}

function show(entry: LogEntry): string {
  return `${entry.index}@${entry.term}:${entry.kind === 'noop' ? 'noop' : entry.data}`;
}

/**
 * The safety rules of DESIGN.md §2 checked from outside the nodes: from the messages they send
 * and receive, the records they persist, the entries they apply and the events they publish.
 * It never reads a node's memory or a planted-bug switch.
 */
export class SafetyChecker {
  readonly violations: string[] = [];
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Commit index a leader held when its term began, keyed `leader|term`. */
  private readonly commitAtElection = new Map<string, number>();
  /** Highest index each peer acknowledged to a leader, keyed `leader|term`. */
  private readonly acks = new Map<string, Map<NodeId, number>>();
  /** Whom each node voted for in each term, keyed `voter|term`, from granted vote responses. */
  private readonly votes = new Map<string, NodeId>();
  private readonly committed = new Map<number, LogEntry>();
  /**
   * The term in which each index was committed: the term of the first node to apply it, which
   * is always the leader that committed it (it applies before anyone hears of the commit).
   */
  private readonly commitTerm = new Map<number, number>();
  private readonly watches = new Map<NodeId, NodeWatch>();
  /** two_node lone terms: the fence entry that begins a term, keyed `leader|term`. */
  private readonly loneTerms = new Map<string, FenceRecord>();
  /** The newest incarnation of `from` delivered to `to`, keyed `to|from`. */
  private readonly heardIncarnation = new Map<string, number>();
  /** The incarnation each node's running process persisted when it started. */
  private readonly runningIncarnation = new Map<NodeId, number>();

  constructor(
    private readonly config: VotingConfig,
    private readonly leaseTicks: number,
    /** Running and not paused: a paused process cannot act on what it believes. */
    private readonly isActive: (id: NodeId) => boolean,
    /** The node's process runs, paused or not. */
    private readonly isUp: (id: NodeId) => boolean = isActive,
  ) {
    for (const voter of config.voters) this.watches.set(voter.id, freshWatch());
  }

  loneTermCount(): number {
    return this.loneTerms.size;
  }

  committedCount(): number {
    return this.committed.size;
  }

  leaderTerms(): number {
    return this.leaderOfTerm.size;
  }

  believesQuorate(id: NodeId): boolean {
    return this.watch(id).believesQuorate;
  }

  /** A crashed or restarted node believes nothing until its new process says so. */
  restarted(id: NodeId): void {
    this.watches.set(id, freshWatch());
  }

  /** Before a write: a record may rewrite the log only above the node's durable commit. */
  beforePersist(id: NodeId, records: readonly PersistRecord[], disk: SimDisk): void {
    const stored = disk.storedHardState();
    const commit = stored?.commit ?? 0;
    for (const record of records) {
      if (record.kind === 'hard-state') this.runningIncarnation.set(id, record.state.incarnation);
      if (record.kind === 'hard-state' && stored) this.checkHardState(id, stored, record.state);
      if (record.kind === 'snapshot') this.checkSnapshot(id, record.snapshot);
      if (record.kind !== 'entries') continue;
      record.entries.forEach((entry, i) => {
        const before = i > 0 ? record.entries[i - 1] : disk.storedEntry(entry.index - 1);
        if (entry.kind === 'fence' && before?.term !== entry.term) this.noteFence(id, entry);
      });
      for (const entry of record.entries) {
        if (entry.index > commit) break;
        const stored = disk.storedEntry(entry.index);
        if (stored && !sameEntry(stored, entry)) {
          this.fail(`${id} overwrote committed entry ${show(stored)} with ${show(entry)}`);
        }
      }
    }
  }

  /**
   * two_node: a node writing a fence entry of its own as the first entry of a term starts a lone
   * term. The fence must cover the newest incarnation of the victim that this node has heard.
   */
  private noteFence(id: NodeId, entry: LogEntry): void {
    const record = parseFenceEntry(entry.data);
    if (!record || record.by !== id) return;
    const heard = this.heardIncarnation.get(`${id}|${record.node}`) ?? 0;
    if (record.incarnation < heard) {
      this.fail(
        `${id} records a fence of ${record.node} incarnation ${record.incarnation} in term ${entry.term} after hearing incarnation ${heard}`,
      );
    }
    this.loneTerms.set(`${id}|${entry.term}`, record);
  }

  /**
   * Whether `id` may decide alone in `term`: the term began with its fence entry, and the
   * fenced incarnation no longer runs (a power fence ends it at once).
   */
  private leadsAlone(id: NodeId, term: number): boolean {
    const record = this.loneTerms.get(`${id}|${term}`);
    if (!record) return false;
    const victim = record.node;
    if (this.isUp(victim) && this.runningIncarnation.get(victim) === record.incarnation) {
      this.fail(
        `${id} leads term ${term} alone while ${victim} incarnation ${record.incarnation}, which it fenced, still runs`,
      );
    }
    return true;
  }

  events(id: NodeId, events: readonly ObserverEvent[], disk: SimDisk): void {
    const watch = this.watch(id);
    const wasLeading = watch.believesQuorate && watch.leaderView === id;
    for (const event of events) {
      if (event.type === 'quorum-changed') watch.believesQuorate = event.quorate;
      if (event.type !== 'leader-changed') continue;
      watch.leaderView = event.leader;
      if (event.leader !== id) continue;
      watch.leaderTerm = event.term;
      this.checkLeaderCompleteness(id, event.term, disk);
      this.commitAtElection.set(`${id}|${event.term}`, disk.storedHardState()?.commit ?? 0);
    }
    // Any overlap of two quorate leaderships begins when one of them begins: check it then.
    if (!wasLeading && watch.believesQuorate && watch.leaderView === id) {
      this.checkExclusiveLeadership(id, watch.leaderTerm);
    }
  }

  /**
   * At most one leader per term, judged by who sends appends in it; and at most one vote per
   * node per term, which is what makes the first rule hold across restarts.
   */
  sent(message: PeerMessage, senderDisk: SimDisk): void {
    if (message.type === 'vote-response' && message.granted && !message.preVote) {
      const stored = senderDisk.storedHardState();
      if (stored?.term !== message.term || stored.vote !== message.to) {
        this.fail(
          `${message.from} granted its term ${message.term} vote to ${message.to} before persisting it`,
        );
      }
      const key = `${message.from}|${message.term}`;
      const earlier = this.votes.get(key);
      if (earlier === undefined) this.votes.set(key, message.to);
      else if (earlier !== message.to) {
        this.fail(
          `${message.from} voted twice in term ${message.term}: ${earlier} and ${message.to}`,
        );
      }
    }
    if (message.type !== 'append-request') return;
    this.checkAnnouncedCommit(message.from, message.term, message.commit, senderDisk);
    const leader = this.leaderOfTerm.get(message.term);
    if (leader === undefined) this.leaderOfTerm.set(message.term, message.from);
    else if (leader !== message.from) {
      this.fail(`two leaders in term ${message.term}: ${leader} and ${message.from}`);
    }
  }

  delivered(message: PeerMessage, localTick: number, senderQuorate: boolean): void {
    const watch = this.watch(message.to);
    const key = `${message.from}|${message.term}`;
    watch.arrivals.set(key, localTick);
    const heardKey = `${message.to}|${message.from}`;
    const heard = this.heardIncarnation.get(heardKey) ?? 0;
    if (message.incarnation > heard) this.heardIncarnation.set(heardKey, message.incarnation);
    if (message.type === 'append-response' && message.success) {
      const acks = this.acks.get(`${message.to}|${message.term}`) ?? new Map<NodeId, number>();
      acks.set(message.from, Math.max(acks.get(message.from) ?? 0, message.matchIndex));
      this.acks.set(`${message.to}|${message.term}`, acks);
    }
    const fromLeader = message.type === 'append-request' || message.type === 'install-snapshot';
    if (fromLeader && senderQuorate) watch.quorateAppends.set(key, localTick);
  }

  /** Every node applies the same entries in the same order, each index exactly once per run. */
  applied(id: NodeId, entries: readonly LogEntry[], disk: SimDisk): void {
    const watch = this.watch(id);
    for (const entry of entries) {
      if (entry.index !== watch.nextApply) {
        this.fail(`${id} applied index ${entry.index} when ${watch.nextApply} was next`);
      }
      watch.nextApply = entry.index + 1;
      const first = this.committed.get(entry.index);
      if (!first) {
        this.committed.set(entry.index, entry);
        this.commitTerm.set(entry.index, disk.storedHardState()?.term ?? 0);
      } else if (!sameEntry(first, entry)) {
        this.fail(`committed entry changed: ${id} applied ${show(entry)}, before ${show(first)}`);
      }
    }
  }

  /** A node loaded a snapshot: it applies from the next index on, and the state must match. */
  loadedSnapshot(id: NodeId, snapshot: Snapshot): void {
    this.checkSnapshot(id, snapshot);
    this.watch(id).nextApply = snapshot.index + 1;
  }

  /**
   * A snapshot covers committed entries only, ending at the committed term (the service checker
   * compares the state it carries).
   */
  private checkSnapshot(id: NodeId, snapshot: Snapshot): void {
    const entry = this.committed.get(snapshot.index);
    if (snapshot.index > 0 && (!entry || entry.term !== snapshot.term)) {
      this.fail(
        `${id} holds a snapshot at ${snapshot.index}@${snapshot.term} that was never committed`,
      );
    }
  }

  /**
   * After each tick: a node that believes it is quorate holds evidence from within its lease —
   * a leader, messages of its term from a quorum of votes; a follower, an append from a leader
   * that believed itself quorate (and whose own belief is checked the same way).
   */
  ticked(id: NodeId, localTick: number, term: number, disk: SimDisk): void {
    const watch = this.watch(id);
    if (!watch.believesQuorate) return;
    if (watch.leaderView === id) this.checkExclusiveLeadership(id, watch.leaderTerm);
    const fresh = (tick: number | undefined): boolean =>
      tick !== undefined && localTick - tick < this.leaseTicks;
    if (watch.leaderView === id) {
      const rule = this.ruleOf(disk);
      const heard = [id];
      for (const voter of rule.voters()) {
        if (fresh(watch.arrivals.get(`${voter}|${term}`))) heard.push(voter);
      }
      if (!rule.leaseReached(heard) && !this.leadsAlone(id, term)) {
        const { votes, quorum } = rule.tally(heard);
        this.fail(
          `${id} leads term ${term} as quorate with ${votes} votes heard in its lease; quorum is ${quorum}${twoNodeNote(rule)}`,
        );
      }
    } else if (
      !(watch.leaderView && fresh(watch.quorateAppends.get(`${watch.leaderView}|${term}`)))
    ) {
      this.fail(
        `${id} believes it is quorate in term ${term} without a quorate leader in its lease`,
      );
    }
  }

  /**
   * A leader that announces a commit beyond what it held at election must have it from its own
   * term's rule: the entry is of its term, and a quorum of votes acknowledged it to this leader.
   */
  private checkAnnouncedCommit(leader: NodeId, term: number, commit: number, disk: SimDisk): void {
    const key = `${leader}|${term}`;
    const atElection = this.commitAtElection.get(key);
    if (atElection === undefined || commit <= atElection) return;
    const entry = disk.storedEntry(commit);
    if (entry && entry.term !== term) {
      this.fail(
        `${leader} committed ${show(entry)} in term ${term} by counting earlier-term replicas`,
      );
      return;
    }
    const holders = [leader];
    for (const [peer, match] of this.acks.get(key) ?? []) if (match >= commit) holders.push(peer);
    // The leader decided by the rule of its log at that moment, when the log reached at least
    // the committed index and at most all it stores now. Between the two there may be several
    // config entries: once a joint entry commits the leader appends the closing one and decides
    // by the new configuration alone, also for the entries before it, and by the time it
    // announces that commit it may have appended the next change as well.
    const rules = this.rulesSince(disk, commit);
    if (!rules.some((rule) => rule.reached(holders)) && !this.leadsAlone(leader, term)) {
      const rule = rules[0]!;
      const { votes, quorum } = rule.tally(holders);
      this.fail(
        `${leader} committed index ${commit} in term ${term} with ${votes} votes acknowledging it; quorum is ${quorum}${rule.joint ? ' (and a quorum of the old configuration)' : ''}${twoNodeNote(rule)}`,
      );
    }
  }

  /**
   * Every voting rule the log on `disk` implied as it grew from index `from` to all it stores,
   * the rule at `from` first: the rule changes only at a config entry.
   */
  private rulesSince(disk: SimDisk, from: number): VotingRule[] {
    const rules = [this.ruleOf(disk)];
    let newest = disk.storedConfigEntries().at(-1);
    while (newest && newest.index > from) {
      rules.push(this.ruleOf(disk, newest.index - 1));
      newest = disk.storedConfigEntries(newest.index - 1).at(-1);
    }
    return rules.reverse();
  }

  /**
   * The voting rule a node's durable log implies from its config entries up to `upTo`: the
   * startup configuration, the stored snapshot's, then the newest stored config entries.
   */
  private ruleOf(disk: SimDisk, upTo = Number.POSITIVE_INFINITY): VotingRule {
    const snapshotText = disk.storedSnapshot()?.config?.text;
    const base = snapshotText ? votingConfigOf(snapshotText) : this.config;
    const entries = disk
      .storedConfigEntries(upTo)
      .map((entry) => ({ index: entry.index, text: entry.data }));
    return deriveVotingRule({ base, entries }, null);
  }

  /** The durable term never goes back, and a durable vote never changes within its term. */
  private checkHardState(id: NodeId, before: HardState, after: HardState): void {
    if (after.term < before.term) {
      this.fail(`${id} persisted term ${after.term} after term ${before.term}`);
    } else if (after.term === before.term && before.vote !== null && after.vote !== before.vote) {
      this.fail(`${id} changed its term ${after.term} vote from ${before.vote} to ${after.vote}`);
    }
  }

  /**
   * Leader leases: at no moment do two running nodes both act as quorate leaders (of different
   * terms; the same term is the rule above). A paused node does not act, and on resuming it
   * replays its missed ticks before anything else.
   */
  private checkExclusiveLeadership(id: NodeId, term: number): void {
    for (const [other, watch] of this.watches) {
      if (other === id || !watch.believesQuorate || watch.leaderView !== other) continue;
      if (watch.leaderTerm === term || !this.isActive(other)) continue;
      this.fail(
        `${id} (term ${term}) and ${other} (term ${watch.leaderTerm}) both lead as quorate at once`,
      );
    }
  }

  /**
   * Raft's leader completeness: a leader holds every entry committed in an earlier term. (A
   * stale candidate may still win an older term with votes that were slow to arrive; it need
   * not hold what later terms committed, and it cannot commit anything itself.)
   */
  private checkLeaderCompleteness(id: NodeId, term: number, disk: SimDisk): void {
    for (const entry of this.committed.values()) {
      if ((this.commitTerm.get(entry.index) ?? 0) >= term) continue;
      // A snapshot holds only committed entries; the appliers' checks cover what it replaced.
      if (entry.index <= (disk.storedSnapshot()?.index ?? 0)) continue;
      const stored = disk.storedEntry(entry.index);
      if (!stored || !sameEntry(stored, entry)) {
        this.fail(`${id} leads term ${term} without committed entry ${show(entry)}`);
        return;
      }
    }
  }

  private watch(id: NodeId): NodeWatch {
    let watch = this.watches.get(id);
    if (!watch) {
      watch = freshWatch();
      this.watches.set(id, watch);
    }
    return watch;
  }

  private fail(message: string): void {
    this.violations.push(message);
  }
}
