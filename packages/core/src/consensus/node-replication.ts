import { prepareConfig, type VersionedConfig } from './config-proposal.js';
import { chooseFormationConfig, type FormationOffer } from './formation.js';
import { appendResponse } from './messages.js';
import { NodeState } from './node-state.js';
import type {
  AppendRequest,
  AppendResponse,
  NodeId,
  SnapshotRequest,
  VoteRequest,
  VoteResponse,
} from './types.js';

/**
 * Log replication, the part of a node shared by its roles: a leader proposes, sends appends and
 * snapshots and commits by weighted votes; a follower accepts its leader's entries. Formation's
 * offers travel on the same messages. `ElectingNode` adds elections, `ClusterNode` the host API.
 */
export abstract class ReplicatingNode extends NodeState {
  /**
   * Follows the log's voting rule after a config entry arrived, was dropped or committed: a
   * leader feeds the new voters and, once a configuration without it is settled, steps down.
   */
  protected syncVoting(): void {
    if (this.refreshVoting() && this.role === 'leader') this.feedVoters();
    if (this.role !== 'leader') return;
    const newest = this.log.configIndexes().at(-1) ?? 0;
    if (newest > this.commit) return;
    if (this.rule.joint) {
      // The joint entry is committed: repeat it, and the new configuration alone decides.
      this.log.appendNew(this.term, 'config', this.log.entryAt(newest)?.data ?? '');
      this.refreshVoting();
      this.feedVoters();
      for (const peer of this.peers) this.sendAppend(peer);
      this.maybeCommit();
    } else if (!this.rule.isVoter(this.id)) {
      // A leader the committed configuration leaves out hands over.
      this.becomeFollower(this.term, null);
    }
  }

  private feedVoters(): void {
    const added = this.progress.track(this.peers, this.log.lastIndex());
    for (const peer of added) this.sendAppend(peer);
  }

  protected tickLeader(): void {
    this.heartbeatElapsed++;
    if (this.plant !== 'skip-check-quorum' && !this.quorumActive()) {
      this.stepDownVotes = this.leaseVotes();
      this.becomeFollower(this.term, null);
      return;
    }
    if (this.heartbeatElapsed >= this.timings.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      for (const peer of this.peers) this.sendAppend(peer);
    }
  }

  protected becomeFollower(term: number, leader: NodeId | null): void {
    if (term > this.term) {
      this.term = term;
      this.vote = null;
      this.leaseEvidence.clear();
    }
    if (this.role === 'leader') {
      // Appends queued while this node still led (say, while replaying ticks missed during a
      // pause) would make followers trust a leadership that has already ended: withdraw them.
      this.outbox = this.outbox.filter(
        (message) => message.type !== 'append-request' && message.type !== 'install-snapshot',
      );
    }
    this.role = 'follower';
    this.lone = false;
    this.forcedRule = null;
    this.forcedText = null;
    this.progress.clear();
    this.setLeader(leader);
    this.resetElectionTimeout();
  }

  /**
   * Formation: while no cluster.conf is in the log, vote messages and append responses carry
   * this node's own file. The append responses matter when a leader was elected before this
   * node started: it then never campaigns, and its file would not be heard otherwise.
   */
  protected offer(): { offer?: VersionedConfig | null } {
    return this.loggedConfig() === null ? { offer: this.startupConfig } : {};
  }

  protected noteOffer(message: VoteRequest | VoteResponse | AppendResponse): void {
    if (message.offer === undefined) return;
    this.offers.set(message.from, message.offer);
    this.maybeForm();
  }

  /**
   * The first leader of a cluster without a committed cluster.conf commits the highest-versioned
   * file a quorum (with wait_for_all, every node) offered; two files with one version stop
   * formation with a message naming the nodes (`formation-stopped`, `status().formationStopped`).
   */
  protected maybeForm(): void {
    if (this.role !== 'leader' || this.loggedConfig() !== null) return;
    const offers: FormationOffer[] = [{ node: this.id, config: this.startupConfig }];
    for (const [node, config] of this.offers) if (node !== this.id) offers.push({ node, config });
    const decision = chooseFormationConfig(offers, this.config);
    if (decision.kind === 'wait') return;
    const problem =
      decision.kind === 'conflict' ? decision.message : this.unrunnableOffer(decision.config.text);
    if (problem !== null) {
      if (this.formationStopped === problem) return;
      this.formationStopped = problem;
      this.events.push({ type: 'formation-stopped', message: problem });
      return;
    }
    if (decision.kind !== 'commit') return;
    this.formationStopped = null;
    this.log.appendNew(this.term, 'config', decision.config.text);
    this.syncVoting();
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
  }

  private unrunnableOffer(text: string): string | null {
    const prepared = prepareConfig(null, { kind: 'file', text });
    return prepared.ok ? null : `formation stopped: ${prepared.message}`;
  }

  protected propose(data: string): boolean {
    if (this.role !== 'leader') return false;
    this.log.appendNew(this.term, 'command', data);
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
    return true;
  }

  private followLeader(message: AppendRequest | SnapshotRequest): void {
    this.formed = true;
    if (this.role !== 'follower') this.becomeFollower(this.term, message.from);
    this.setLeader(message.from);
    // An echo of a tick this process never reached comes from a leader that heard an earlier
    // process of this node: it proves nothing.
    if (message.echoTick <= this.now && message.echoTick > this.leaderAliveTick)
      this.leaderAliveTick = message.echoTick;
    this.leaderMembers = message.members;
    this.electionElapsed = 0;
    if (message.type === 'append-request') this.leaderCommit = message.commit;
    else this.leaderCommit = message.snapshot.index;
  }

  protected handleAppendRequest(message: AppendRequest): void {
    this.followLeader(message);
    // Below the snapshot everything is committed, hence matches the leader's log.
    const matched =
      message.prevIndex < this.log.snapshotIndex() ||
      this.log.termAt(message.prevIndex) === message.prevTerm;
    if (!matched) {
      const hint = Math.min(this.log.lastIndex(), message.prevIndex - 1);
      this.answerAppend(message, false, hint);
      return;
    }
    this.log.appendAfter(message.prevIndex, message.entries);
    const lastNew = message.prevIndex + message.entries.length;
    this.commit = Math.max(this.commit, Math.min(message.commit, lastNew));
    this.syncVoting();
    this.answerAppend(message, true, lastNew);
  }

  private answerAppend(
    message: AppendRequest | SnapshotRequest,
    success: boolean,
    matchIndex: number,
  ): void {
    const envelope = this.envelope(message.from);
    this.send({
      ...appendResponse(envelope, success, matchIndex, message.sentTick, this.now),
      ...this.offer(),
    });
  }

  /** A snapshot beyond our commit replaces what it covers; one at or below it is already held. */
  protected handleSnapshot(message: SnapshotRequest): void {
    this.followLeader(message);
    const snapshot = message.snapshot;
    if (snapshot.index > this.commit) {
      const retainLog = this.log.installSnapshot(snapshot);
      this.commit = snapshot.index;
      this.snapshot = snapshot;
      this.snapshotToLoad = snapshot;
      this.snapshotRecord = { kind: 'snapshot', snapshot, retainLog };
      this.syncVoting();
    }
    this.answerAppend(message, true, snapshot.index);
  }

  protected handleAppendResponse(message: AppendResponse): void {
    const progress = this.progress.get(message.from);
    if (this.role !== 'leader' || !progress) return;
    this.noteLeaseEvidence(message.from, message.echoTick);
    if (message.sentTick > (this.peerTicks.get(message.from) ?? -1))
      this.peerTicks.set(message.from, message.sentTick);
    if (message.success) {
      if (message.matchIndex > progress.match) {
        progress.match = message.matchIndex;
        this.maybeCommit();
      }
      progress.next = Math.max(progress.next, progress.match + 1);
      if (progress.next <= this.log.lastIndex()) this.sendAppend(message.from);
    } else {
      // A refusal at or below the peer's acknowledged match: its storage lost entries it had
      // acknowledged, with no new incarnation to say so (or the refusal is stale). Keeping the
      // match would ask for the same entry for ever, a message storm; it is fed again from
      // what it says it holds (a stale refusal costs one resend).
      if (progress.next - 1 <= progress.match) progress.match = Math.max(0, message.matchIndex);
      const retry = Math.min(progress.next - 1, message.matchIndex + 1);
      progress.next = Math.max(progress.match + 1, retry, 1);
      this.sendAppend(message.from);
    }
    this.noteOffer(message);
  }

  /** Commits the highest entry of this term that a quorum of votes has stored. */
  protected maybeCommit(): void {
    const lastIndex = this.log.lastIndex();
    const candidate =
      this.plant === 'commit-without-quorum'
        ? lastIndex
        : this.decisionRule().quorumMatch(this.id, lastIndex, this.progress);
    if (candidate <= this.commit) return;
    // Only an entry of the leader's own term commits by counting replicas (Raft §5.4.2).
    if (this.plant !== 'commit-old-term' && this.log.termAt(candidate) !== this.term) return;
    this.commit = candidate;
    this.syncVoting();
  }

  protected sendAppend(peer: NodeId): void {
    const progress = this.progress.get(peer);
    if (!progress) return;
    progress.next = Math.min(progress.next, this.log.lastIndex() + 1);
    if (progress.next <= this.log.snapshotIndex() && this.snapshot) {
      this.send({
        ...this.envelope(peer),
        type: 'install-snapshot',
        snapshot: this.snapshot,
        members: this.membership.members(),
        sentTick: this.now,
        echoTick: this.peerTicks.get(peer) ?? -1,
      });
      return;
    }
    const prevIndex = progress.next - 1;
    this.send({
      type: 'append-request',
      from: this.id,
      to: peer,
      term: this.term,
      incarnation: this.incarnation,
      prevIndex,
      prevTerm: this.log.termAt(prevIndex) ?? 0,
      entries: this.log.slice(progress.next, this.log.lastIndex(), this.maxEntriesPerMessage),
      commit: this.commit,
      members: this.membership.members(),
      sentTick: this.now,
      echoTick: this.peerTicks.get(peer) ?? -1,
    });
  }

  protected noteLeaseEvidence(peer: NodeId, sentTick: number): void {
    if (sentTick > (this.leaseEvidence.get(peer) ?? -1)) this.leaseEvidence.set(peer, sentTick);
  }
}
