// cman_tool votes -v, leave remove and join on the daemon's side. Votes live in the committed
// cluster.conf (DESIGN.md §2), so each change is a config proposal through the cluster, judged
// as `ccs_tool update` is: refused while inquorate, by the validator, or (here) when the members
// present would not reach the new quorum. Any node takes them: the controller's config desk
// forwards a follower's proposal to the leader (`config-requests.ts`).
import {
  NOT_QUORATE_MESSAGE,
  parseClusterConf,
  prepareConfig,
  quorumReachableAfter,
  type RemovedVotes,
  removeVotesPlan,
  restoreVotesPlan,
  setVotesPlan,
} from '@quorate/core';
import type { ControlResult } from '@quorate/protocol';
import type { ConfigRequestResult } from './config-requests.js';
import type { NodeHost } from './node-host.js';
import { clearRemovedVotes, readRemovedVotes, writeRemovedVotes } from './removed-votes-file.js';

/** How long a vote change may take to commit before the command is told it failed. */
const COMMIT_TIMEOUT_MS = 15_000;
const COMMIT_POLL_MS = 25;
/** How often a returning node looks whether it can ask for its votes back. */
const RESTORE_POLL_MS = 500;

type NodeResult = Extract<ControlResult, { type: 'node' }>;

export interface VoteRequestsOptions {
  readonly nodeName: string;
  readonly host: NodeHost;
  /** Stops this agent as SIGTERM does (a plain leave). */
  readonly leave: () => void;
  /** Proposes a whole cluster.conf through the cluster; resolves once committed or refused. */
  readonly propose: (text: string) => Promise<ConfigRequestResult>;
}

type Proposal = { ok: true; version: number } | { ok: false; message: string } | 'unchanged';

export class VoteRequests {
  private restoreTimer: NodeJS.Timeout | null = null;
  private lastRefusal: string | null = null;

  constructor(private readonly options: VoteRequestsOptions) {}

  /** `cman_tool votes -v N`: this node's votes, committed before the command returns. */
  async setVotes(votes: number): Promise<NodeResult> {
    const proposal = await this.propose((text) => setVotesPlan(text, this.options.nodeName, votes));
    if (proposal === 'unchanged') {
      return { type: 'node', ok: true, message: `votes already ${votes}` };
    }
    if (!proposal.ok) return { type: 'node', ok: false, message: proposal.message };
    const committed = await this.committed(proposal.version);
    if (!committed) return { type: 'node', ok: false, message: notCommitted(proposal.version) };
    return { type: 'node', ok: true, message: `votes set to ${votes}` };
  }

  /**
   * `cman_tool leave remove [force]`: commits this node's votes as 0 (and expected votes lowered)
   * and records what it removed, then leaves. Without `force` a failed commit is refused and the
   * node stays; with it the node leaves as a plain leave does.
   */
  async leaveRemove(force: boolean): Promise<NodeResult> {
    const { nodeName, host } = this.options;
    const removal: { record: RemovedVotes | null } = { record: null };
    const proposal = await this.propose((text) => {
      const plan = removeVotesPlan(text, nodeName);
      if (plan.ok) removal.record = plan.removed;
      return plan;
    });
    let failure: string | null = null;
    if (proposal !== 'unchanged' && !proposal.ok) failure = proposal.message;
    else if (proposal !== 'unchanged' && !(await this.committed(proposal.version))) {
      failure = notCommitted(proposal.version);
    }
    if (failure !== null && !force) return { type: 'node', ok: false, message: failure };
    const removed = failure === null ? removal.record : null;
    if (removed !== null && removed.votes > 0) writeRemovedVotes(host.stateDir(), removed);
    host.logEvent('info', 'leave-remove', { removed, failure, force });
    // After this answer is written: the leave closes the control socket.
    setImmediate(() => this.options.leave());
    const message =
      failure === null
        ? 'leaving the cluster; its votes no longer count'
        : `leaving the cluster with its votes still counted: ${failure}`;
    return { type: 'node', ok: true, message };
  }

  /** `cman_tool join` to an agent that runs: it joins on its own, or is already a member. */
  join(): NodeResult {
    const status = this.options.host.status();
    if (status.members.includes(this.options.nodeName)) {
      return { type: 'node', ok: false, message: 'Node is already active' };
    }
    return { type: 'node', ok: true, message: 'joining the cluster' };
  }

  /**
   * A node that left with `remove` asks for its votes back once it is a member again, as cman
   * counted a returning node's votes. The record stays until the node has votes again.
   */
  startRestore(): void {
    const stateDir = this.options.host.stateDir();
    let removed: RemovedVotes | null;
    try {
      removed = readRemovedVotes(stateDir);
    } catch (error) {
      this.options.host.logEvent('warn', 'votes-restore-unreadable', {
        detail: (error as Error).message,
      });
      return;
    }
    if (removed === null) return;
    const record = removed;
    let busy = false;
    this.restoreTimer = setInterval(() => {
      if (busy) return;
      busy = true;
      void this.tryRestore(record, stateDir).finally(() => {
        busy = false;
      });
    }, RESTORE_POLL_MS);
    this.restoreTimer.unref();
  }

  stop(): void {
    if (this.restoreTimer) clearInterval(this.restoreTimer);
    this.restoreTimer = null;
  }

  private async tryRestore(removed: RemovedVotes, stateDir: string): Promise<void> {
    const { host, nodeName } = this.options;
    const status = host.status();
    const text = host.newestConfigText();
    if (status.left || !status.members.includes(nodeName) || text === null) return;
    const plan = restoreVotesPlan(text, removed);
    if (plan.ok && plan.text === null) {
      // Given votes since (by an administrator, or this very restore): nothing left to ask.
      this.finishRestore(removed, stateDir);
      return;
    }
    const proposal = await this.propose((newest) => restoreVotesPlan(newest, removed));
    if (proposal !== 'unchanged' && !proposal.ok) {
      // Tried again every half second: say each different refusal once.
      if (proposal.message !== this.lastRefusal) {
        host.logEvent('warn', 'votes-restore-refused', { detail: proposal.message });
      }
      this.lastRefusal = proposal.message;
      return;
    }
    if (proposal === 'unchanged' || (await this.committed(proposal.version))) {
      this.finishRestore(removed, stateDir);
    }
  }

  private finishRestore(removed: RemovedVotes, stateDir: string): void {
    clearRemovedVotes(stateDir);
    this.stop();
    this.options.host.logEvent('info', 'votes-restored', { ...removed });
  }

  /** Plans the change against the newest config and proposes it; nothing is half-applied. */
  private async propose(
    plan: (text: string) => { ok: true; text: string | null } | { ok: false; message: string },
  ): Promise<Proposal> {
    const { host } = this.options;
    const status = host.status();
    // A node without votes never counts itself quorate (no lease includes it), yet the leader it
    // follows can take its proposal: that is how a node back from `leave remove` asks.
    if (status.leader === null) return { ok: false, message: NOT_QUORATE_MESSAGE };
    const text = host.newestConfigText();
    if (text === null) return { ok: false, message: 'this node has no cluster.conf yet' };
    const planned = plan(text);
    if (!planned.ok) return planned;
    if (planned.text === null) return 'unchanged';
    const newest = { version: parseClusterConf(text).configVersion ?? 0, text };
    // The validator's words first, then whether the members could still decide.
    const prepared = prepareConfig(newest, { kind: 'file', text: planned.text });
    if (!prepared.ok) return { ok: false, message: prepared.message };
    const reachable = quorumReachableAfter(prepared.config.text, status.members);
    if (!reachable.ok) return reachable;
    const result = await this.options.propose(prepared.config.text);
    return result.accepted
      ? { ok: true, version: result.version }
      : { ok: false, message: result.message };
  }

  /** Resolves true once this node applied `version` (or a newer one), false after the timeout. */
  private committed(version: number): Promise<boolean> {
    const { host } = this.options;
    const deadline = Date.now() + COMMIT_TIMEOUT_MS;
    return new Promise((resolve) => {
      const check = () => {
        if (host.status().configVersion >= version) resolve(true);
        else if (Date.now() >= deadline) resolve(false);
        else setTimeout(check, COMMIT_POLL_MS);
      };
      check();
    });
  }
}

function notCommitted(version: number): string {
  return `config_version ${version} was not committed within ${COMMIT_TIMEOUT_MS / 1000} s (the cluster lost quorum or its leader)`;
}
