import { type ConfigProposal, type NodeId, type VotingConfig, votingConfigOf } from '@quorate/core';
import type { SimCluster } from './cluster.js';
import { clusterConfText } from './conf-text.js';
import type { Prng } from './prng.js';

/**
 * An administrator changing cluster.conf every few seconds at a random node: whole files with
 * the next version, stale files (the version already committed), and edits to the newest file.
 * Most go to a node that claims to lead; the rest meet followers and inquorate nodes.
 */
export class ConfigWorkload {
  constructor(
    private readonly cluster: SimCluster,
    private readonly random: Prng,
  ) {}

  start(untilMs: number): void {
    const step = (): void => {
      if (this.cluster.now() >= untilMs) return;
      this.proposeOnce();
      this.cluster.queue.after(this.random.between(1000, 5000), step);
    };
    this.cluster.queue.after(this.random.between(1000, 5000), step);
  }

  private proposeOnce(): void {
    const target = this.pickTarget();
    if (target === null) return;
    const newest = this.cluster.configChecker.newestVersion();
    const roll = this.random.next();
    let proposal: ConfigProposal;
    if (roll < 0.3) {
      const voting = this.changedVoting();
      proposal = { kind: 'file', text: clusterConfText(voting, newest + 1, 6, this.layout()) };
    } else if (roll < 0.5) {
      const version = newest + this.random.between(1, 2);
      const delay = this.random.between(0, 30);
      proposal = {
        kind: 'file',
        text: clusterConfText(this.cluster.setup.config, version, delay, this.layout()),
      };
    } else if (roll < 0.7) {
      proposal = {
        kind: 'file',
        text: clusterConfText(this.cluster.setup.config, newest, 99, this.layout()),
      };
    } else {
      const postJoinDelayS = this.random.between(0, 30);
      proposal = {
        kind: 'edits',
        edits: [{ op: 'setClusterProperties', changes: { fenceDaemon: { postJoinDelayS } } }],
      };
    }
    this.cluster.proposeConfig(target, proposal);
  }

  /**
   * The newest committed voting set with one change: a voter removed (at least two stay), a
   * host that is not a voter added back, or one node's votes changed to 1-3. Expected votes
   * are dropped, since a fixed value may not fit the new total.
   */
  private changedVoting(): VotingConfig {
    const newestText = this.cluster.configChecker.newestText();
    const current = newestText ? votingConfigOf(newestText) : this.cluster.setup.config;
    const voters = [...current.voters];
    const absent = this.cluster.ids.filter((id) => !voters.some((voter) => voter.id === id));
    const roll = this.random.next();
    if (roll < 0.35 && voters.length > 2) {
      voters.splice(this.random.nextInt(voters.length), 1);
    } else if (roll < 0.7 && absent.length > 0) {
      voters.push({ id: this.random.pick(absent), votes: this.random.between(1, 3) });
    } else {
      const at = this.random.nextInt(voters.length);
      voters[at] = { id: voters[at]!.id, votes: this.random.between(1, 3) };
    }
    const order = (id: NodeId): number => this.cluster.ids.indexOf(id);
    voters.sort((a, b) => order(a.id) - order(b.id));
    const waitForAll = current.waitForAll ?? false;
    return { voters, expectedVotes: 0, tokenMs: current.tokenMs, waitForAll };
  }

  private layout() {
    return this.cluster.setup.layout ?? null;
  }

  private pickTarget(): NodeId | null {
    const statuses = this.cluster.statuses();
    const leaders = statuses.filter((s) => s.role === 'leader');
    const pool = leaders.length > 0 && this.random.chance(0.7) ? leaders : statuses;
    if (pool.length === 0) return null;
    return this.random.pick(pool).id;
  }
}
