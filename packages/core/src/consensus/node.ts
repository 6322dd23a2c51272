import {
  type ConfigProposal,
  type ConfigProposalResult,
  NOT_QUORATE_MESSAGE,
  prepareConfig,
  type VersionedConfig,
} from './config-proposal.js';
import { type ForceExpectedResult, forceExpectedPlan } from './force-expected.js';
import { chooseFormationConfig, type FormationOffer } from './formation.js';
import { appendResponse, voteResponse } from './messages.js';
import { NodeState } from './node-state.js';
import { fenceEntryData, holdsEveryCommit } from './two-node.js';
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
import { sameVoting, VotingRule, votingConfigOf } from './voting-rule.js';

/**
 * One member of the weighted-vote replicated log, as a pure state machine (DESIGN.md §2):
 * `tick()` and `step()` change state, `ready()` hands out what the host must do as data, and
 * `advance()` says it is done. Raft with pre-vote, check-quorum and leader leases, where every
 * tally (elections, commits, quorum checks) weighs nodes by their votes.
 *
 * Host-facing API beyond the four verbs (DESIGN.md §2):
 * - two_node: when `status().fenceNeeded` is `{ node, incarnation }`, this lone node wants to
 *   lead; the host fences that node (waiting out its own fence delay first) and answers
 *   `step({ type: 'fence-confirmed', node, incarnation })`. The node then leads alone, and its
 *   first entry of the term is a `fence` entry (JSON `{ node, incarnation, by }`), committed by
 *   its own vote. A fence of an older incarnation than the one last heard does not count.
 *   `step({ type: 'fence-acknowledged', node })` is `fence_ack_manual`.
 * - `forceExpectedVotes(n)` is `cman_tool expected -e n`: a committed change while quorate;
 *   while inquorate a force that needs every absent voter fenced or acknowledged.
 * - Formation: nodes offer their own cluster.conf (`clusterConf` option) on vote requests and
 *   responses, and on append responses while their log holds none; the first leader commits
 *   the highest-versioned file a quorum offers (as soon as it hears it), or emits
 *   `formation-stopped`. A node whose own file is newer than the committed one emits
 *   `join-refused` and stops.
 * - `step({ type: 'leave' })` is `cman_tool leave`: the node tells its peers, stops leading and
 *   campaigning, and does nothing more; they report it as `left` in `membership-changed`.
 */
export class ClusterNode extends NodeState {
  tick(): void {
    if (this.inert()) return;
    this.now++;
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
    this.refreshObservations();
  }

  /** Feeds one input; returns false when it was refused (a proposal to a non-leader). */
  step(input: NodeInput): boolean {
    if (this.inert()) return false;
    let accepted: boolean;
    switch (input.type) {
      case 'propose':
        accepted = this.propose(input.data);
        break;
      case 'fence-confirmed':
        accepted = this.confirmFence(input.node, input.incarnation);
        break;
      case 'fence-acknowledged':
        accepted = this.confirmFence(input.node, this.membership.incarnationOf(input.node) ?? 0);
        break;
      case 'leave':
        accepted = this.leave();
        break;
      default:
        accepted = this.stepMessage(input);
    }
    if (this.checkLocalFile()) this.becomeFollower(this.term, null);
    this.refreshObservations();
    return accepted;
  }

  /** A node that left, or refused to join, takes no further part. */
  private inert(): boolean {
    return this.hasLeft || this.joinRefused !== null;
  }

  /**
   * `cman_tool expected -e N`. While quorate it is a committed config change (`proposeConfig`).
   * While inquorate it is an audited force: refused unless every voter this node cannot hear has
   * been fenced (`fence-confirmed`) or acknowledged (`fence-acknowledged`) in the incarnation it
   * last heard. The forced cluster.conf (expected_votes N, the absent voters' votes 0, one
   * version per change) starts a new term: this node campaigns by it and, once it leads,
   * appends it twice as its first entries, so it governs at once. When other present voters'
   * votes are needed and do not come within an election timeout, the force lapses. Old voters
   * that return are caught up by the new leader (they hold a lower term), never merged; an
   * administrator gives them votes again. The result's `index` is the last index after it.
   */
  forceExpectedVotes(expectedVotes: number): ForceExpectedResult {
    const edit = { op: 'setClusterProperties' as const, changes: { cman: { expectedVotes } } };
    if (this.quorate || this.role === 'leader') {
      return this.proposeConfig({ kind: 'edits', edits: [edit] });
    }
    const plan = forceExpectedPlan({
      self: this.id,
      expectedVotes,
      newest: this.newestConfig(),
      voters: this.rule.voters(),
      heard: this.membership.directlyHeard(this.now),
      incarnationOf: (id) => this.membership.incarnationOf(id) ?? 0,
      fencedIncarnationOf: (id) => this.fenced.get(id),
    });
    if (!plan.accepted) return plan;
    this.events.push({
      type: 'expected-votes-forced',
      expectedVotes,
      version: plan.version,
      absent: plan.absent,
    });
    this.forcedText = plan.text;
    this.forcedRule = new VotingRule(votingConfigOf(plan.text), null, this.plant);
    this.campaign();
    this.refreshObservations();
    return { accepted: true, index: this.log.lastIndex(), version: plan.version };
  }

  /** The newest cluster.conf text in the log, committed or not, else the applied one. */
  newestConfigText(): string | null {
    const index = this.log.configIndexes().at(-1);
    const entry = index === undefined ? undefined : this.log.entryAt(index);
    if (entry) return entry.data;
    return this.newestConfig()?.text ?? null;
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
    const newest = this.newestConfig();
    const prepared = prepareConfig(newest, proposal);
    if (!prepared.ok) return { accepted: false, rule: prepared.rule, message: prepared.message };
    const guarded = this.configGuard?.(prepared.config);
    if (guarded !== undefined) return { accepted: false, rule: 'in-use', message: guarded };
    if (this.lone && !sameVoting(this.rule.current, votingConfigOf(prepared.config.text))) {
      const message =
        'a two_node node leading alone cannot change the voting set; wait until its peer is back';
      return { accepted: false, rule: 'change-in-progress', message };
    }
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

  /** The host's fence device succeeded (or an administrator acknowledged): remember it. */
  private confirmFence(node: NodeId, incarnation: number): boolean {
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

  /** `cman_tool leave`: tell every peer, stop leading and campaigning, then do nothing more. */
  private leave(): boolean {
    const peers = new Set([...this.peers, ...this.membership.members()]);
    peers.delete(this.id);
    for (const peer of [...peers].sort())
      this.send({ ...this.envelope(peer), type: 'leave-notice' });
    this.becomeFollower(this.term, null);
    this.fenceRequest = null;
    this.hasLeft = true;
    return true;
  }

  /**
   * A peer left cleanly: it is no member now, and when it led, elect a successor at once. A
   * two_node peer that left stopped itself: its leaving incarnation counts as fenced.
   */
  private peerLeft(from: NodeId, incarnation: number): void {
    this.membership.left(from, incarnation);
    if (this.twoNodePeer() === from && incarnation >= (this.fenced.get(from) ?? 0)) {
      this.fenced.set(from, incarnation);
    }
    if (this.leader !== from || this.role === 'leader') return;
    this.setLeader(null);
    this.ticksSinceLeader = this.timings.tokenTicks;
    // Skip the token time a lost leader would take to notice, keep the random part: the
    // remaining followers then do not all campaign at once.
    this.electionElapsed = Math.max(this.electionElapsed, this.timings.tokenTicks);
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
    this.lone = false;
    this.forcedRule = null;
    this.forcedText = null;
    this.progress.clear();
    this.setLeader(leader);
    this.resetElectionTimeout();
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

  private campaign(lone = false): void {
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

  /**
   * Formation: while no cluster.conf is in the log, vote messages and append responses carry
   * this node's own file. The append responses matter when a leader was elected before this
   * node started: it then never campaigns, and its file would not be heard otherwise.
   */
  private offer(): { offer?: VersionedConfig | null } {
    return this.loggedConfig() === null ? { offer: this.startupConfig } : {};
  }

  private noteOffer(message: VoteRequest | VoteResponse | AppendResponse): void {
    if (message.offer === undefined) return;
    this.offers.set(message.from, message.offer);
    this.maybeForm();
  }

  /**
   * The first leader of a cluster without a committed cluster.conf commits the highest-versioned
   * file a quorum (with wait_for_all, every node) offered; two files with one version stop
   * formation with a message naming the nodes (`formation-stopped`, `status().formationStopped`).
   */
  private maybeForm(): void {
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

  private propose(data: string): boolean {
    if (this.role !== 'leader') return false;
    this.log.appendNew(this.term, 'command', data);
    this.maybeCommit();
    for (const peer of this.peers) this.sendAppend(peer);
    return true;
  }

  private stepMessage(message: PeerMessage): boolean {
    if (message.to !== this.id) return false;
    if (message.type === 'leave-notice') {
      this.peerLeft(message.from, message.incarnation);
      return true;
    }
    this.forgetMatchOfRestarted(message);
    this.membership.heard(message.from, message.incarnation, this.now);
    this.heardSinceStart.add(message.from);
    // A peer that is heard needs no fence (the request returns if it falls silent again).
    if (this.fenceRequest?.node === message.from) this.fenceRequest = null;
    // The fenced peer is back in a new incarnation: a lone leadership ends, both vote again.
    const back = message.incarnation > this.loneFencedIncarnation;
    if (this.lone && message.from === this.twoNodePeer() && back) {
      this.becomeFollower(this.term, null);
    }
    if (message.term > this.term) {
      if (!this.adoptHigherTerm(message)) return true;
    } else if (message.term < this.term) {
      this.answerStale(message);
      return true;
    }
    switch (message.type) {
      case 'vote-request':
        this.noteOffer(message);
        this.handleVoteRequest(message);
        break;
      case 'vote-response':
        this.noteOffer(message);
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

  /**
   * A peer seen with a new incarnation restarted and may have lost its log (`ricci --rejoin`
   * wipes it): what this leader knew it to hold no longer counts, neither towards a commit nor
   * as a floor for `next`, so its refusals walk `next` back to where it can catch up from.
   */
  private forgetMatchOfRestarted(message: PeerMessage): void {
    const known = this.membership.incarnationOf(message.from);
    const progress = this.progress.get(message.from);
    if (known === undefined || message.incarnation <= known) return;
    if (progress) progress.match = 0;
    // Its ticks started again from zero: an echo of the old count would prove nothing.
    this.peerTicks.delete(message.from);
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
    // A vote given within its lease stays promised: a newer term that only a response carries
    // (a refused pre-vote, say) must not free it for another candidate.
    if (!fromLeader && this.now < this.promiseUntilTick) return false;
    this.becomeFollower(message.term, fromLeader ? message.from : null);
    return true;
  }

  /** A stale leader learns our term (and steps down); a stale pre-candidate is refused. */
  private answerStale(message: PeerMessage): void {
    if (message.type === 'append-request' || message.type === 'install-snapshot') {
      this.send(appendResponse(this.envelope(message.from), false, 0, message.sentTick, this.now));
    } else if (message.type === 'vote-request' && message.preVote) {
      this.send(voteResponse(this.envelope(message.from, this.term), true, false, this.now));
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
    this.send({
      ...voteResponse(this.envelope(message.from, term), message.preVote, granted, this.now),
      ...this.offer(),
    });
  }

  private handleVoteResponse(message: VoteResponse): void {
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

  private handleAppendRequest(message: AppendRequest): void {
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
    this.answerAppend(message, true, snapshot.index);
  }

  private handleAppendResponse(message: AppendResponse): void {
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

  private noteLeaseEvidence(peer: NodeId, sentTick: number): void {
    if (sentTick > (this.leaseEvidence.get(peer) ?? -1)) this.leaseEvidence.set(peer, sentTick);
  }
}
