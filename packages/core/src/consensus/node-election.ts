import { appendResponse, voteResponse } from './messages.js';
import { ReplicatingNode } from './node-replication.js';
import { fenceEntryData, holdsEveryCommit } from './two-node.js';
import type { NodeId, PeerMessage, VoteRequest, VoteResponse } from './types.js';

/**
 * Elections with pre-vote, leases and weighted votes, and two_node's lone leadership after a
 * fence: the candidate and pre-candidate roles, and how any role answers votes.
 */
export abstract class ElectingNode extends ReplicatingNode {
  protected tickElection(): void {
    this.electionElapsed++;
    this.ticksSinceLeader++;
    if (this.electionElapsed >= this.electionTimeout && this.mayCampaign()) this.startPreVote();
  }

  /** The host's fence device succeeded (or an administrator acknowledged): remember it. */
  protected confirmFence(node: NodeId, incarnation: number): boolean {
    // A fence of an older incarnation than the one last heard does not count: ask again.
    const known = this.membership.incarnationOf(node) ?? 0;
    if (incarnation < known) {
      if (this.fenceRequest?.node === node) this.fenceRequest = { node, incarnation: known };
      return false;
    }
    this.fenced.set(node, Math.max(this.fenced.get(node) ?? 0, incarnation));
    if (this.fenceRequest?.node === node) this.fenceRequest = null;
    if (this.role === 'pre-candidate') this.campaignAlone();
    return true;
  }

  /**
   * two_node: a pre-candidate that cannot hear its peer and holds every committed entry leads
   * alone once its peer's current incarnation is fenced; until then it asks its host to fence
   * (`fenceNeeded`). Returns true when it campaigned alone.
   */
  private campaignAlone(): boolean {
    const peer = this.twoNodePeer();
    this.fenceRequest = null;
    if (peer === null || this.waitingForAll()) return false;
    // Two token times: a peer that lacks a leader sends only at its election timeouts.
    if (this.membership.heardWithin(peer, this.now, 2 * this.timings.tokenTicks)) return false;
    const view = { log: this.log, self: this.id, peer, term: this.term, vote: this.vote };
    if (!holdsEveryCommit({ ...view, startTerm: this.startTerm })) return false;
    const incarnation = this.membership.incarnationOf(peer) ?? 0;
    const fenced = (this.fenced.get(peer) ?? -1) >= incarnation;
    if (!fenced && this.plant !== 'two-node-without-fence') {
      this.fenceRequest = { node: peer, incarnation };
      return false;
    }
    this.loneFencedIncarnation = incarnation;
    this.campaign(true);
    return true;
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

  /** Pre-vote: ask whether a quorum would vote for us before disturbing anyone's term. */
  private startPreVote(): void {
    this.role = 'pre-candidate';
    this.lone = false;
    this.forcedRule = null;
    this.forcedText = null;
    this.setLeader(null);
    this.resetElectionTimeout();
    this.granted.clear();
    this.granted.add(this.id);
    if (this.wins()) {
      this.campaign();
      return;
    }
    if (this.campaignAlone()) return;
    this.requestVotes(true, this.term + 1);
  }

  protected campaign(lone = false): void {
    this.role = 'candidate';
    this.lone = lone;
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
    // A force replaces the configuration that wait_for_all waits on.
    const waiting = this.forcedRule === null && this.waitingForAll();
    return this.decisionRule().reached(this.granted) && !waiting;
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
        ...this.offer(),
      });
    }
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.heartbeatElapsed = 0;
    this.setLeader(this.id);
    this.fenceRequest = null;
    this.progress.reset(this.peers, this.log.lastIndex());
    this.appendFirstEntries();
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
    this.maybeForm();
  }

  /**
   * A new leader's first entry lets it commit what earlier terms left uncommitted: a no-op; for
   * a lone two_node leader the record of its peer's fence; for a forced epoch the forced
   * cluster.conf, twice, so that it governs at once rather than jointly with the old one.
   */
  private appendFirstEntries(): void {
    const peer = this.twoNodePeer();
    if (this.lone && peer !== null && this.plant !== 'two-node-without-fence') {
      const record = { node: peer, incarnation: this.loneFencedIncarnation, by: this.id };
      this.log.appendNew(this.term, 'fence', fenceEntryData(record));
    } else if (this.forcedText !== null) {
      this.log.appendNew(this.term, 'config', this.forcedText);
      this.log.appendNew(this.term, 'config', this.forcedText);
      this.forcedText = null;
      this.forcedRule = null;
      this.refreshVoting();
      this.progress.track(this.peers, this.log.lastIndex());
    } else {
      this.log.appendNew(this.term, 'noop', '');
    }
  }

  protected handleVoteRequest(message: VoteRequest): void {
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
    this.send({
      ...voteResponse(this.envelope(message.from, term), message.preVote, granted, this.now),
      ...this.offer(),
    });
  }

  protected handleVoteResponse(message: VoteResponse): void {
    const round =
      (this.role === 'pre-candidate' && message.preVote && message.term === this.term + 1) ||
      (this.role === 'candidate' && !message.preVote && message.term === this.term);
    if (!round || !message.granted) return;
    this.granted.add(message.from);
    if (!message.preVote) {
      this.noteLeaseEvidence(message.from, this.campaignTick);
      const tick = message.sentTick ?? -1;
      if (tick > (this.peerTicks.get(message.from) ?? -1)) this.peerTicks.set(message.from, tick);
    }
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

  /** Returns false when the message must be dropped without further handling. */
  protected adoptHigherTerm(message: PeerMessage): boolean {
    if (message.type === 'vote-request') {
      if (this.inLease()) return false;
      if (!message.preVote) this.becomeFollower(message.term, null);
      return true;
    }
    // A granted pre-vote carries the term we would campaign in; it is not a newer leader.
    if (message.type === 'vote-response' && message.preVote && message.granted) return true;
    const fromLeader = message.type === 'append-request' || message.type === 'install-snapshot';
    // A vote given within its lease stays promised: a newer term that only a response carries
    // (a refused pre-vote, say) must not free it for another candidate.
    if (!fromLeader && this.now < this.promiseUntilTick) return false;
    this.becomeFollower(message.term, fromLeader ? message.from : null);
    return true;
  }

  /** A stale leader learns our term (and steps down); a stale pre-candidate is refused. */
  protected answerStale(message: PeerMessage): void {
    if (message.type === 'append-request' || message.type === 'install-snapshot') {
      this.send(appendResponse(this.envelope(message.from), false, 0, message.sentTick, this.now));
    } else if (message.type === 'vote-request' && message.preVote) {
      this.send(voteResponse(this.envelope(message.from, this.term), true, false, this.now));
    }
  }
}
