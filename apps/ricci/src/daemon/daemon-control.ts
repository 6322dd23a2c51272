// The daemon's side of the control socket: clustat, clusvcadm, cman_tool and fence_ack_manual
// answered from the node's consensus and controller state, their actions fed through the same
// input path as peer messages and agent results.
import {
  type ClusterConf,
  type ControllerEvent,
  type ControllerInput,
  initialServiceState,
  parseClusterConf,
  quorumVotes,
  type RmRequest,
  votingConfigOf,
} from '@quorate/core';
import type {
  ClusterStatus,
  CommittedConfig,
  ControlAction,
  ControlResult,
  MemberStatus,
  NodeRequest,
} from '@quorate/protocol';
import type { ControlProvider } from '../control/control-provider.js';
import { configUpdateResultOf, rmResultOf, serviceStatusOf } from '../control/core-mapping.js';
import { PendingAnswers } from '../control/pending-answers.js';
import { ConfigRequests } from './config-requests.js';
import { FenceRequests } from './fence-requests.js';
import type { NodeHost } from './node-host.js';
import { VoteRequests } from './vote-requests.js';

/** clusvcadm requests whose answer says whether the cluster is locked. */
const LOCK_KINDS: readonly string[] = ['lock', 'unlock', 'query-lock'];

/** A clusvcadm request with no answer after this long fails rather than hang the command. */
const REQUEST_TIMEOUT_MS = 120_000;

export interface DaemonControlOptions {
  readonly nodeName: string;
  readonly agentVersion: string;
  readonly host: NodeHost;
  /** Feeds a local input the way the daemon does (due ticks first, then wake the clock). */
  readonly input: (step: () => void) => void;
  /** fence_ack_manual: ends a `fence_manual` run waiting for the acknowledgement. */
  readonly acknowledgeManualFence: (node: string) => void;
  /** cman_tool leave: stop this agent as SIGTERM does. */
  readonly leave: () => void;
  /** cman_tool kill -n NODE: checks NODE and sends it the kill (kill-request.ts). */
  readonly kill: (node: string) => Promise<ControlResult>;
}

export class DaemonControl implements ControlProvider {
  private nextRequest = 0;
  private readonly rmAnswers = new PendingAnswers<ControlResult>();
  /** Requests whose answer carries the lock, read when the answer comes. */
  private readonly lockRequests = new Set<string>();
  private parsed: { text: string; conf: ClusterConf } | null = null;
  /** cman_tool votes, leave remove and join; a node that left with `remove` asks back its votes. */
  private readonly votes: VoteRequests;
  /** cluster.conf proposals, taken on any node through the controller's config desk. */
  private readonly config: ConfigRequests;
  /** fence_node, taken on any node through the controller's fence desk. */
  private readonly fences: FenceRequests;

  constructor(private readonly options: DaemonControlOptions) {
    const { nodeName, host, input, leave } = options;
    const hasController = () => host.serviceController() !== null;
    const submit = (request: ControllerInput) => {
      let taken = false;
      input(() => {
        host.receive(request);
        taken = true;
      });
      return taken;
    };
    this.fences = new FenceRequests({ hasController, submit });
    this.config = new ConfigRequests({
      hasController,
      submit,
      proposeLocally: (text) => {
        let result: ReturnType<NodeHost['proposeConfig']> | null = null;
        input(() => {
          result = host.proposeConfig(text);
        });
        return result;
      },
    });
    const propose = (text: string) => this.config.propose(text);
    this.votes = new VoteRequests({ nodeName, host, leave, propose });
    this.votes.startRestore();
  }

  /** Every controller event passes here; a request's result answers its waiting command. */
  controllerEvent(event: ControllerEvent): void {
    this.config.controllerEvent(event);
    this.fences.controllerEvent(event);
    if (event.type !== 'request-result') return;
    const withLock = this.lockRequests.delete(event.id);
    const locked = withLock ? this.options.host.serviceController()?.state().rm.locked : undefined;
    this.rmAnswers.settle(event.id, rmResultOf(event, locked));
  }

  clusterConf(): CommittedConfig | null {
    const text = this.options.host.clusterConfText();
    if (text === null) return null;
    return { version: this.conf()?.configVersion ?? 0, text };
  }

  status(): ClusterStatus {
    const { host, nodeName } = this.options;
    const s = host.status();
    const text = this.options.host.clusterConfText();
    const conf = this.conf();
    const voting = text === null ? null : votingConfigOf(text);
    const voters = voting?.voters ?? s.voters.map((id) => ({ id, votes: 1 }));
    const members = new Set(s.members);
    // Peers' incarnations as the log records them (their latest probe), the same on every node:
    // a console whose link moves to another agent must not see restarts that did not happen.
    const probed = host.serviceController()?.state().probed ?? {};
    const incarnationOf = (id: string) =>
      id === nodeName ? s.incarnation : (probed[id]?.incarnation ?? 0);
    const memberList: MemberStatus[] = voters.map((voter, i) => ({
      name: voter.id,
      nodeId: conf?.nodes.find((n) => n.name === voter.id)?.nodeid ?? i + 1,
      votes: voter.votes,
      online: members.has(voter.id),
      local: voter.id === nodeName,
      estranged: false,
      rgmanager: members.has(voter.id) && host.serviceController() !== null,
      incarnation: incarnationOf(voter.id),
      joinedMs: null,
      addresses: [],
    }));
    const self = memberList.find((m) => m.local);
    const config = voting ?? { voters, expectedVotes: 0, tokenMs: 0 };
    return {
      cluster: {
        name: conf?.name ?? 'cluster',
        id: conf?.cman?.clusterId ?? 0,
        generation: s.term,
        configVersion: s.configVersion,
        agentVersion: this.options.agentVersion,
        twoNode: conf?.cman?.twoNode ?? false,
      },
      quorum: {
        quorate: s.quorate,
        totalVotes: memberList.filter((m) => m.online).reduce((sum, m) => sum + m.votes, 0),
        expectedVotes: Math.max(
          config.expectedVotes,
          voters.reduce((n, v) => n + v.votes, 0),
        ),
        quorum: quorumVotes(config),
        leader: s.leader,
      },
      local: {
        name: nodeName,
        nodeId: self?.nodeId ?? 0,
        votes: self?.votes ?? 0,
        membership: s.left ? 'not-in-cluster' : members.has(nodeName) ? 'member' : 'joining',
        addresses: [],
      },
      members: memberList,
      resourceManager: {
        running: host.serviceController() !== null,
        locked: host.serviceController()?.state().rm.locked ?? false,
      },
      services: this.services(),
    };
  }

  async request(action: ControlAction): Promise<ControlResult> {
    switch (action.type) {
      case 'rm':
        return this.rmRequest(action.request);
      case 'fence-ack':
        return this.fenceAck(action.node);
      case 'config-update':
        return this.configUpdate(action.text);
      case 'node':
        if (action.request.kind === 'kill') return this.options.kill(action.request.node);
        if (action.request.kind === 'fence') return this.fences.fence(action.request.node);
        return this.nodeRequest(action.request);
    }
  }

  /** Records of the committed state, and configured services without one as uninitialized. */
  private services(): ClusterStatus['services'] {
    const controller = this.options.host.serviceController();
    if (!controller) return [];
    const records = controller.state().rm.services;
    const ids = new Set([...Object.keys(records), ...controller.config().plans.keys()]);
    return [...ids].sort().map((id) => serviceStatusOf(records[id] ?? initialServiceState(id)));
  }

  private rmRequest(request: RmRequest): Promise<ControlResult> {
    const controller = this.options.host.serviceController();
    if (!controller) {
      return Promise.resolve({
        type: 'rm',
        code: -1,
        message: 'Failure',
        detail: 'this node runs without a cluster.conf, so it has no resource manager',
        owner: null,
      });
    }
    const id = `${this.options.nodeName}-${++this.nextRequest}`;
    if (LOCK_KINDS.includes(request.kind)) this.lockRequests.add(id);
    const answer = this.rmAnswers.wait(id, REQUEST_TIMEOUT_MS, () => {
      this.lockRequests.delete(id);
      throw new Error(`request ${id}: no answer from the resource manager in time`);
    });
    this.options.input(() => this.options.host.receive({ type: 'rm-request', id, request }));
    return answer;
  }

  private fenceAck(node: string): ControlResult {
    if (this.options.host.status().members.includes(node)) {
      return {
        type: 'fence-ack',
        ok: false,
        message: `${node} is a member of the cluster; only a node that is off can be acknowledged`,
      };
    }
    this.options.input(() => this.options.host.receive({ type: 'fence-ack', node }));
    this.options.acknowledgeManualFence(node);
    return { type: 'fence-ack', ok: true, message: `fence of ${node} acknowledged` };
  }

  private async configUpdate(text: string): Promise<ControlResult> {
    const previousVersion = this.options.host.status().configVersion;
    return configUpdateResultOf(previousVersion, await this.config.propose(text));
  }

  private nodeRequest(request: NodeRequest): ControlResult | Promise<ControlResult> {
    if (request.kind === 'votes') return this.votes.setVotes(request.votes);
    if (request.kind === 'join') return this.votes.join();
    if (request.kind === 'leave' && request.remove) return this.votes.leaveRemove(request.force);
    if (request.kind === 'leave') {
      this.options.leave();
      return { type: 'node', ok: true, message: 'leaving the cluster' };
    }
    if (request.kind === 'expected') {
      let result: ReturnType<NodeHost['forceExpectedVotes']> | undefined;
      this.options.input(() => {
        result = this.options.host.forceExpectedVotes(request.votes);
      });
      if (!result) throw new Error('node: the node took no input (it is stopping)');
      return result.accepted
        ? { type: 'node', ok: true, message: `expected votes set to ${request.votes}` }
        : { type: 'node', ok: false, message: result.message };
    }
    return {
      type: 'node',
      ok: false,
      message: `cman_tool ${request.kind}: not supported yet by this agent`,
    };
  }

  private conf(): ClusterConf | null {
    const text = this.options.host.clusterConfText();
    if (text === null) return null;
    if (this.parsed?.text !== text) this.parsed = { text, conf: parseClusterConf(text) };
    return this.parsed.conf;
  }
}
