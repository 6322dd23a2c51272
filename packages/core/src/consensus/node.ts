import {
  type ConfigProposal,
  type ConfigProposalResult,
  NOT_QUORATE_MESSAGE,
  prepareConfig,
} from './config-proposal.js';
import { type ForceExpectedResult, forceExpectedPlan } from './force-expected.js';
import { ElectingNode } from './node-election.js';
import type { NodeId, NodeInput, PeerMessage } from './types.js';
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
export class ClusterNode extends ElectingNode {
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
    this.membership.left(from, incarnation, this.now);
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
}
