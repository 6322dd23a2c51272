import { appendResponse, voteResponse } from './messages.js';
import { NodeState } from './node-state.js';
import type {
  AppendRequest,
  AppendResponse,
  NodeId,
  NodeInput,
  PeerMessage,
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
    if (this.electionElapsed >= this.electionTimeout) this.startPreVote();
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
      this.outbox = this.outbox.filter((message) => message.type !== 'append-request');
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
    return this.counter.count(this.granted) >= this.counter.quorum;
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
    this.becomeFollower(message.term, message.type === 'append-request' ? message.from : null);
    return true;
  }

  /** A stale leader learns our term (and steps down); a stale pre-candidate is refused. */
  private answerStale(message: PeerMessage): void {
    if (message.type === 'append-request') {
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
    const granted = free && logOk;
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

  private handleAppendRequest(message: AppendRequest): void {
    if (this.role !== 'follower') this.becomeFollower(this.term, message.from);
    this.setLeader(message.from);
    this.leaderMembers = message.members;
    this.electionElapsed = 0;
    if (this.log.termAt(message.prevIndex) !== message.prevTerm) {
      const hint = Math.min(this.log.lastIndex(), message.prevIndex - 1);
      this.send(appendResponse(this.envelope(message.from), false, hint, message.sentTick));
      return;
    }
    this.log.appendAfter(message.prevIndex, message.entries);
    const lastNew = message.prevIndex + message.entries.length;
    this.commit = Math.max(this.commit, Math.min(message.commit, lastNew));
    this.send(appendResponse(this.envelope(message.from), true, lastNew, message.sentTick));
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
        : this.progress.quorumMatch(this.id, lastIndex, this.counter);
    if (candidate <= this.commit) return;
    // Only an entry of the leader's own term commits by counting replicas (Raft §5.4.2).
    if (this.plant !== 'commit-old-term' && this.log.termAt(candidate) !== this.term) return;
    this.commit = candidate;
  }

  private sendAppend(peer: NodeId): void {
    const progress = this.progress.get(peer);
    if (!progress) return;
    progress.next = Math.min(progress.next, this.log.lastIndex() + 1);
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
