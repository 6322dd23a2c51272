import {
  type ConfigProposal,
  type ConfigProposalResult,
  NOT_QUORATE_MESSAGE,
  prepareConfig,
} from './config-proposal.js';
import { appendResponse, voteResponse } from './messages.js';
import { NodeState } from './node-state.js';
import type {
  AppendRequest,
  AppendResponse,
  NodeId,
  NodeInput,
  PeerMessage,
  SnapshotRequest,
  VoteRequest,
  VoteResponse,
} from './types.js';

/**
 * One member of the weighted-vote replicated log, as a pure state machine (DESIGN.md §2):
 * `tick()` and `step()` change state, `ready()` hands out what the host must do as data, and
 * `advance()` says it is done. Raft with pre-vote, check-quorum and leader leases, where every
 * tally (elections, commits, quorum checks) weighs nodes by their votes.
 */
export class ClusterNode extends NodeState {
  tick(): void {
    this.now++;
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
    this.refreshObservations();
  }

  /** Feeds one input; returns false when it was refused (a proposal to a non-leader). */
  step(input: NodeInput): boolean {
    const accepted = input.type === 'propose' ? this.propose(input.data) : this.stepMessage(input);
    this.refreshObservations();
    return accepted;
  }

  /**
   * Proposes a new cluster.conf (a whole file or edits to the newest one). Refused while the
   * cluster is not quorate, on a node that is not the leader, when the result is not runnable
   * or its config_version is not greater than the newest in the log; otherwise appended, and
   * once committed every node's `ready()` carries a write of the exact text.
   */
  proposeConfig(proposal: ConfigProposal): ConfigProposalResult {
    const quorate = this.role === 'leader' ? this.quorumActive() : this.quorate;
    if (!quorate) return { accepted: false, rule: 'not-quorate', message: NOT_QUORATE_MESSAGE };
    if (this.role !== 'leader') {
      const message = `${this.id} is not the leader; propose the change at ${this.leader}`;
      return { accepted: false, rule: 'not-leader', message };
    }
    if (this.rule.joint) {
      const message =
        'a change of the voting set is still being committed; propose again once it is';
      return { accepted: false, rule: 'change-in-progress', message };
    }
    const prepared = prepareConfig(this.newestConfig(), proposal);
    if (!prepared.ok) return { accepted: false, rule: prepared.rule, message: prepared.message };
    const entry = this.log.appendNew(this.term, 'config', prepared.config.text);
    this.syncVoting();
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
    this.refreshObservations();
    return { accepted: true, index: entry.index, version: prepared.config.version };
  }

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

  private tickLeader(): void {
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

  private tickElection(): void {
    this.electionElapsed++;
    this.ticksSinceLeader++;
    if (this.electionElapsed >= this.electionTimeout && this.mayCampaign()) this.startPreVote();
  }

  /**
   * Voters campaign. So does a node its newest config leaves out while that config is not yet
   * known to be committed: its log may be the only complete one, and the others may still need
   * it to lead long enough to commit its own removal (Raft, Ongaro §4.2.2). A node being added
   * has no such entry yet and waits.
   */
  private mayCampaign(): boolean {
    if (this.rule.isVoter(this.id)) return true;
    return (this.log.configIndexes().at(-1) ?? 0) > this.commit;
  }

  private becomeFollower(term: number, leader: NodeId | null): void {
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
    this.progress.clear();
    this.setLeader(leader);
    this.resetElectionTimeout();
  }

  /** Pre-vote: ask whether a quorum would vote for us before disturbing anyone's term. */
  private startPreVote(): void {
    this.role = 'pre-candidate';
    this.setLeader(null);
    this.resetElectionTimeout();
    this.granted.clear();
    this.granted.add(this.id);
    if (this.wins()) {
      this.campaign();
      return;
    }
    this.requestVotes(true, this.term + 1);
  }

  private campaign(): void {
    this.role = 'candidate';
    this.term++;
    this.vote = this.id;
    this.leaseEvidence.clear();
    this.campaignTick = this.now;
    this.setLeader(null);
    this.resetElectionTimeout();
    this.granted.clear();
    this.granted.add(this.id);
    if (this.wins()) {
      this.becomeLeader();
      return;
    }
    this.requestVotes(false, this.term);
  }

  private wins(): boolean {
    return this.decisionRule().reached(this.granted) && !this.waitingForAll();
  }

  private requestVotes(preVote: boolean, term: number): void {
    for (const peer of this.peers) {
      this.send({
        type: 'vote-request',
        from: this.id,
        to: peer,
        term,
        incarnation: this.incarnation,
        preVote,
        lastLogIndex: this.log.lastIndex(),
        lastLogTerm: this.log.lastTerm(),
      });
    }
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.heartbeatElapsed = 0;
    this.setLeader(this.id);
    this.progress.reset(this.peers, this.log.lastIndex());
    // A no-op of the new term lets the leader commit what earlier terms left uncommitted.
    this.log.appendNew(this.term, 'noop', '');
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
  }

  private propose(data: string): boolean {
    if (this.role !== 'leader') return false;
    this.log.appendNew(this.term, 'command', data);
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
    return true;
  }

  private stepMessage(message: PeerMessage): boolean {
    if (message.to !== this.id) return false;
    this.membership.heard(message.from, message.incarnation, this.now);
    this.heardSinceStart.add(message.from);
    if (message.term > this.term) {
      if (!this.adoptHigherTerm(message)) return true;
    } else if (message.term < this.term) {
      this.answerStale(message);
      return true;
    }
    switch (message.type) {
      case 'vote-request':
        this.handleVoteRequest(message);
        break;
      case 'vote-response':
        this.handleVoteResponse(message);
        break;
      case 'append-request':
        this.handleAppendRequest(message);
        break;
      case 'append-response':
        this.handleAppendResponse(message);
        break;
      case 'install-snapshot':
        this.handleSnapshot(message);
        break;
    }
    return true;
  }

  /** Returns false when the message must be dropped without further handling. */
  private adoptHigherTerm(message: PeerMessage): boolean {
    if (message.type === 'vote-request') {
      if (this.inLease()) return false;
      if (!message.preVote) this.becomeFollower(message.term, null);
      return true;
    }
    // A granted pre-vote carries the term we would campaign in; it is not a newer leader.
    if (message.type === 'vote-response' && message.preVote && message.granted) return true;
    const fromLeader = message.type === 'append-request' || message.type === 'install-snapshot';
    this.becomeFollower(message.term, fromLeader ? message.from : null);
    return true;
  }

  /** A stale leader learns our term (and steps down); a stale pre-candidate is refused. */
  private answerStale(message: PeerMessage): void {
    if (message.type === 'append-request' || message.type === 'install-snapshot') {
      this.send(appendResponse(this.envelope(message.from), false, 0, message.sentTick));
    } else if (message.type === 'vote-request' && message.preVote) {
      this.send(voteResponse(this.envelope(message.from, this.term), true, false));
    }
  }

  private handleVoteRequest(message: VoteRequest): void {
    const free =
      this.vote === message.from ||
      (this.vote === null && this.leader === null) ||
      (message.preVote && message.term > this.term);
    const logOk =
      this.plant === 'vote-without-log-check' ||
      this.log.isUpToDate(message.lastLogIndex, message.lastLogTerm);
    const granted = free && logOk && !this.waitingForAll();
    if (granted && !message.preVote) {
      // Backing another candidate ends any pre-vote round of our own.
      if (this.role === 'pre-candidate') this.becomeFollower(this.term, null);
      this.vote = message.from;
      this.resetElectionTimeout();
      // A vote is a lease promise too: the candidate may lead on it before its first append.
      this.promiseUntilTick = this.now + this.timings.tokenTicks;
    }
    const term = granted && message.preVote ? message.term : this.term;
    this.send(voteResponse(this.envelope(message.from, term), message.preVote, granted));
  }

  private handleVoteResponse(message: VoteResponse): void {
    const round =
      (this.role === 'pre-candidate' && message.preVote && message.term === this.term + 1) ||
      (this.role === 'candidate' && !message.preVote && message.term === this.term);
    if (!round || !message.granted) return;
    this.granted.add(message.from);
    if (!message.preVote) this.noteLeaseEvidence(message.from, this.campaignTick);
    if (!this.wins()) return;
    if (this.role === 'candidate') {
      // Votes that took longer than the lease to arrive (a pause, a slow network) promise
      // nothing any more: the voters may since have backed someone else.
      if (this.quorumActive()) this.becomeLeader();
    }
    // A node that still honours a lease (a leader it heard, a vote it gave) must not depose it.
    else if (this.inLease()) this.becomeFollower(this.term, null);
    else this.campaign();
  }

  private followLeader(message: AppendRequest | SnapshotRequest): void {
    this.formed = true;
    if (this.role !== 'follower') this.becomeFollower(this.term, message.from);
    this.setLeader(message.from);
    this.leaderMembers = message.members;
    this.electionElapsed = 0;
  }

  private handleAppendRequest(message: AppendRequest): void {
    this.followLeader(message);
    // Below the snapshot everything is committed, hence matches the leader's log.
    const matched =
      message.prevIndex < this.log.snapshotIndex() ||
      this.log.termAt(message.prevIndex) === message.prevTerm;
    if (!matched) {
      const hint = Math.min(this.log.lastIndex(), message.prevIndex - 1);
      this.send(appendResponse(this.envelope(message.from), false, hint, message.sentTick));
      return;
    }
    this.log.appendAfter(message.prevIndex, message.entries);
    const lastNew = message.prevIndex + message.entries.length;
    this.commit = Math.max(this.commit, Math.min(message.commit, lastNew));
    this.syncVoting();
    this.send(appendResponse(this.envelope(message.from), true, lastNew, message.sentTick));
  }

  /** A snapshot beyond our commit replaces what it covers; one at or below it is already held. */
  private handleSnapshot(message: SnapshotRequest): void {
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
    this.send(appendResponse(this.envelope(message.from), true, snapshot.index, message.sentTick));
  }

  private handleAppendResponse(message: AppendResponse): void {
    const progress = this.progress.get(message.from);
    if (this.role !== 'leader' || !progress) return;
    this.noteLeaseEvidence(message.from, message.echoTick);
    if (message.success) {
      if (message.matchIndex > progress.match) {
        progress.match = message.matchIndex;
        this.maybeCommit();
      }
      progress.next = Math.max(progress.next, progress.match + 1);
      if (progress.next <= this.log.lastIndex()) this.sendAppend(message.from);
      return;
    }
    const retry = Math.min(progress.next - 1, message.matchIndex + 1);
    progress.next = Math.max(progress.match + 1, retry, 1);
    this.sendAppend(message.from);
  }

  /** Commits the highest entry of this term that a quorum of votes has stored. */
  private maybeCommit(): void {
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

  private sendAppend(peer: NodeId): void {
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
    });
  }

  private noteLeaseEvidence(peer: NodeId, sentTick: number): void {
    if (sentTick > (this.leaseEvidence.get(peer) ?? -1)) this.leaseEvidence.set(peer, sentTick);
  }
}
