// The controller's desks (`leader-desk.ts`): console trust changes, cluster.conf proposals and
// fence_node, taken on any node, recorded by the leader. RHCS administrators run `ccs_tool`,
// `cman_tool votes` and `fence_node` on whichever node they are logged in to; the answer is the
// same everywhere.
import type { ClusterNode } from '../consensus/node.js';
import type { NodeId } from '../consensus/types.js';
import { type ConsoleTrustLeader, NO_QUORUM_MESSAGE, recordConsoleTrust } from './console-trust.js';
import { type DeskRecord, type DeskResult, LeaderDesk } from './leader-desk.js';
import type { ConsoleTrustChange, ControllerEvent, ControllerMessage, DeskName } from './types.js';

export const CONFIG_NO_QUORUM_MESSAGE =
  'no quorate leader: the cluster cannot take a configuration change now';

export const FENCE_NO_QUORUM_MESSAGE = 'no quorate leader: the cluster cannot fence a node now';

/** The leader's half of the desks: what it records for them. */
export interface DeskLeader extends ConsoleTrustLeader {
  /** fence_node: records the request and starts fencing `node`, or says why not. */
  requestFence(node: NodeId, now: number): DeskRecord;
}

type Body<T> = T extends unknown ? Omit<T, 'from' | 'to' | 'term' | 'incarnation'> : never;

/** The desks' messages without their envelope (the controller adds it when it sends). */
export type DeskMessage = Body<
  Extract<
    ControllerMessage,
    { type: 'rm-console-trust' | 'rm-config' | 'rm-fence-node' | 'rm-desk-result' }
  >
>;

export interface DesksHost {
  readonly self: NodeId;
  readonly node: ClusterNode;
  /** The leader's half, once this node leads and has committed in its term; else null. */
  leader(): DeskLeader | null;
  forwardTimeoutTicks(): number;
  send(to: NodeId, message: DeskMessage): void;
  event(event: ControllerEvent): void;
}

export class ControllerDesks {
  readonly consoleTrust: LeaderDesk<ConsoleTrustChange>;
  readonly config: LeaderDesk<string>;
  readonly fence: LeaderDesk<NodeId>;
  /** Every desk by name, made once: `tick` runs on every node at every tick. */
  private readonly byName: Readonly<Record<DeskName, LeaderDesk<unknown>>>;
  private readonly all: readonly LeaderDesk<unknown>[];

  constructor(private readonly host: DesksHost) {
    const common = {
      self: host.self,
      status: () => host.node.status(),
      forwardTimeoutTicks: () => host.forwardTimeoutTicks(),
    };
    this.consoleTrust = new LeaderDesk<ConsoleTrustChange>(
      {
        ...common,
        record: (change, now) => {
          const leader = host.leader();
          return leader ? recordConsoleTrust(leader, change, now) : null;
        },
        forward: (to, requestId, change) =>
          host.send(to, { type: 'rm-console-trust', requestId, change }),
        reply: (to, requestId, result) => this.reply('console-trust', to, requestId, result),
        answer: (id, { ok, message }) =>
          host.event({ type: 'console-trust-result', id, ok, message }),
      },
      NO_QUORUM_MESSAGE,
    );
    this.config = new LeaderDesk<string>(
      {
        ...common,
        // The consensus node takes a proposal as soon as it leads, before the controller's
        // leader half exists (its first entry of the term committed): so does the desk.
        record: (text) => (host.node.status().role === 'leader' ? this.proposeConfig(text) : null),
        forward: (to, requestId, text) => host.send(to, { type: 'rm-config', requestId, text }),
        reply: (to, requestId, result) => this.reply('config', to, requestId, result),
        answer: (id, result) => host.event({ type: 'config-result', id, ...result }),
        settled: (text) => {
          const committed = host.node.committedConfig();
          if (committed?.text !== text) return null;
          const { version } = committed;
          return { ok: true, message: `config_version ${version} committed`, version };
        },
      },
      CONFIG_NO_QUORUM_MESSAGE,
    );
    this.fence = new LeaderDesk<NodeId>(
      {
        ...common,
        record: (node, now) => host.leader()?.requestFence(node, now) ?? null,
        forward: (to, requestId, node) => host.send(to, { type: 'rm-fence-node', requestId, node }),
        reply: (to, requestId, result) => this.reply('fence', to, requestId, result),
        answer: (id, { ok, message }) =>
          host.event({ type: 'fence-request-result', id, ok, message }),
      },
      FENCE_NO_QUORUM_MESSAGE,
    );
    const desks = { config: this.config, fence: this.fence, 'console-trust': this.consoleTrust };
    this.byName = desks as Record<DeskName, LeaderDesk<unknown>>;
    this.all = Object.values(this.byName);
  }

  /** The leader proposes the file with every check a local proposal gets. */
  private proposeConfig(text: string): DeskRecord {
    const result = this.host.node.proposeConfig({ kind: 'file', text });
    if (!result.accepted) {
      return { refused: { ok: false, message: result.message, rule: result.rule } };
    }
    const message = `config_version ${result.version} committed`;
    return { index: result.index, message, version: result.version };
  }

  private reply(desk: DeskName, to: NodeId, requestId: string, result: DeskResult): void {
    this.host.send(to, {
      type: 'rm-desk-result',
      desk,
      requestId,
      ok: result.ok,
      message: result.message,
      rule: result.rule ?? null,
      version: result.version ?? null,
    });
  }

  tick(now: number): void {
    for (const desk of this.all) desk.tick(now);
  }

  committed(commit: number): void {
    for (const desk of this.all) desk.committed(commit);
  }

  abandon(): void {
    for (const desk of this.all) desk.abandon();
  }

  message(from: NodeId, m: DeskMessage, now: number): void {
    if (m.type === 'rm-console-trust') this.consoleTrust.request(from, m.requestId, m.change, now);
    else if (m.type === 'rm-config') this.config.request(from, m.requestId, m.text, now);
    else if (m.type === 'rm-fence-node') this.fence.request(from, m.requestId, m.node, now);
    else {
      const desk = this.byName[m.desk];
      const result = { ok: m.ok, message: m.message };
      desk.answered(m.requestId, {
        ...result,
        ...(m.rule === null ? {} : { rule: m.rule }),
        ...(m.version === null ? {} : { version: m.version }),
      });
    }
  }
}
