// The controller's inputs and outputs as plain data: what a host feeds in (`step`) and what it
// must do (`ready`). Peer messages here mirror `controllerMessageSchema` in @quorate/protocol.
import type { NodeId, PeerMessage, Ready } from '../consensus/types.js';
import type { RmRequest } from '../resource-manager/request-model.js';

interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly incarnation: number;
}

export type ReportOp = 'start' | 'stop' | 'status' | 'convalesce' | 'migrate';

export type ControllerMessage = Envelope &
  (
    | {
        readonly type: 'rm-report';
        readonly service: string;
        readonly op: ReportOp;
        readonly ok: boolean;
        readonly partial?: boolean;
        readonly transition: number;
      }
    | { readonly type: 'rm-probe'; readonly running: readonly string[] }
    | { readonly type: 'rm-forward'; readonly requestId: string; readonly request: RmRequest }
    | {
        readonly type: 'rm-result';
        readonly requestId: string;
        readonly code: number;
        readonly message: string;
        readonly detail: string | null;
        readonly owner: NodeId | null;
      }
    | { readonly type: 'rm-fence-ack'; readonly node: NodeId }
    | { readonly type: 'rm-convalesce'; readonly service: string; readonly transition: number }
    | {
        readonly type: 'rm-console-trust';
        readonly requestId: string;
        readonly change: ConsoleTrustChange;
      }
    /** A cluster.conf proposed on a follower, forwarded to the leader (`config-request`). */
    | { readonly type: 'rm-config'; readonly requestId: string; readonly text: string }
    /** fence_node asked on a follower, forwarded to the leader (`fence-request`). */
    | { readonly type: 'rm-fence-node'; readonly requestId: string; readonly node: NodeId }
    /** The leader's answer to a forwarded `rm-console-trust`, `rm-config` or `rm-fence-node`. */
    | {
        readonly type: 'rm-desk-result';
        readonly desk: DeskName;
        readonly requestId: string;
        readonly ok: boolean;
        readonly message: string;
        readonly rule: string | null;
        readonly version: number | null;
      }
  );

/** The requests any node takes and the leader records (`leader-desk.ts`). */
export type DeskName = 'console-trust' | 'config' | 'fence';

/** A console certificate becomes trusted by every node, or stops being trusted (DESIGN.md §3). */
export type ConsoleTrustChange =
  | { readonly kind: 'trust'; readonly fingerprint: string; readonly label: string }
  | { readonly kind: 'revoke'; readonly fingerprint: string };

export type ControllerMessageType = ControllerMessage['type'];

export type ControllerInput =
  | PeerMessage
  | ControllerMessage
  /** A resource agent operation finished: `code` is the OCF exit code (0 success). */
  | { readonly type: 'agent-result'; readonly opId: string; readonly code: number }
  | { readonly type: 'fence-result'; readonly opId: string; readonly ok: boolean }
  /** fence_ack_manual NODE (from the CLI or the console) on this node. */
  | { readonly type: 'fence-ack'; readonly node: NodeId }
  /** clusvcadm on this node; the result comes back as a `request-result` event. */
  | { readonly type: 'rm-request'; readonly id: string; readonly request: RmRequest }
  /** `cman_tool leave` (ricci's SIGTERM): stop every local service, then leave cleanly. */
  | { readonly type: 'leave' }
  /** A console trust change on this node; answered by a `console-trust-result` event. */
  | { readonly type: 'console-trust'; readonly id: string; readonly change: ConsoleTrustChange }
  /**
   * A whole cluster.conf proposed on this node (`ccs_tool`, `cman_tool votes`, the console): the
   * leader proposes it, a follower forwards it; answered by a `config-result` event.
   */
  | { readonly type: 'config-request'; readonly id: string; readonly text: string }
  /**
   * fence_node NODE on this node (the CLI or the console): the leader fences it now, member or
   * not; answered by a `fence-request-result` event once the request is recorded.
   */
  | { readonly type: 'fence-request'; readonly id: string; readonly node: NodeId };

export type AgentOpAction = 'start' | 'stop' | 'status' | 'migrate' | 'reconfig';

/** One resource agent run for the host (ricci's OCF runner, or the simulator's agents). */
export interface AgentOp {
  readonly opId: string;
  readonly service: string;
  /** `TYPE:PRIMARY`, OCF_RESOURCE_INSTANCE. */
  readonly resource: string;
  readonly type: string;
  readonly action: AgentOpAction;
  /** OCF_CHECK_LEVEL for `status`. */
  readonly depth: number;
  readonly timeoutMs: number;
  /** OCF_RESKEY_* values (inherited ones included). */
  readonly params: Readonly<Record<string, string>>;
  /** For `migrate`: the node the resource moves to. */
  readonly target?: NodeId;
  /** Why it runs: a service transition, a status check, a probe, an emergency stop, … */
  readonly purpose:
    | 'transition'
    | 'status'
    | 'probe'
    | 'emergency-stop'
    | 'inline-recovery'
    | 'config-change';
}

/** One fence device run against a victim (stdin `key=value` lines: `params`). */
export interface FenceOp {
  readonly opId: string;
  readonly victim: NodeId;
  readonly method: string;
  readonly device: string;
  readonly agent: string;
  readonly params: Readonly<Record<string, string>>;
}

export type ControllerEvent =
  | {
      readonly type: 'service-state-changed';
      readonly service: string;
      readonly state: string;
      readonly owner: NodeId | undefined;
      readonly partial: boolean;
    }
  | { readonly type: 'node-lost'; readonly node: NodeId; readonly incarnation: number }
  | { readonly type: 'fence-started'; readonly victim: NodeId; readonly method: string }
  | { readonly type: 'fence-waiting-ack'; readonly victim: NodeId; readonly method: string }
  | {
      readonly type: 'fence-succeeded';
      readonly victim: NodeId;
      readonly method: string;
      readonly incarnation: number;
    }
  | { readonly type: 'fence-failed'; readonly victim: NodeId; readonly method: string }
  | { readonly type: 'fence-ack-refused'; readonly node: NodeId; readonly reason: string }
  | {
      readonly type: 'request-result';
      readonly id: string;
      readonly code: number;
      readonly message: string;
      readonly detail: string | undefined;
      readonly owner: NodeId | undefined;
    }
  | {
      readonly type: 'emergency-stop';
      readonly service: string;
      /**
       * `lease`: no quorate leader for the service lease; `not-owner`: the log gives it
       * elsewhere; `declared-lost`: the log records this node's loss (the leader cannot hear it).
       */
      readonly reason: 'lease' | 'not-owner' | 'declared-lost' | 'removed' | 'leaving';
    }
  /** The periodic `monitor` of a fence device answered differently from the last time. */
  | { readonly type: 'fence-device-status'; readonly device: string; readonly ok: boolean }
  /** A fence that does not cut power succeeded; recovery waits `ticks` more. */
  | { readonly type: 'fence-settling'; readonly victim: NodeId; readonly ticks: number }
  | { readonly type: 'probe-complete'; readonly running: readonly string[] }
  /** The leader took a (re)started node's probe into the log: it may now be removed. */
  | { readonly type: 'probe-accepted'; readonly node: NodeId; readonly incarnation: number }
  | { readonly type: 'inline-recovery'; readonly service: string; readonly resource: string }
  | { readonly type: 'controller-log'; readonly message: string }
  /** A committed entry the controller could not apply: skipped on every node alike. */
  | { readonly type: 'command-error'; readonly index: number; readonly message: string }
  /** The answer to a `console-trust` input: `ok` once the change is committed. */
  | {
      readonly type: 'console-trust-result';
      readonly id: string;
      readonly ok: boolean;
      readonly message: string;
    }
  /** The answer to a `config-request`: `ok` once the file is committed, with its version. */
  | {
      readonly type: 'config-result';
      readonly id: string;
      readonly ok: boolean;
      readonly message: string;
      readonly rule?: string;
      readonly version?: number;
    }
  /** The answer to a `fence-request`: `ok` once the leader recorded it (the fence follows). */
  | {
      readonly type: 'fence-request-result';
      readonly id: string;
      readonly ok: boolean;
      readonly message: string;
    }
  /** A committed entry changed whether the cluster trusts a console certificate. */
  | {
      readonly type: 'console-trust-changed';
      readonly fingerprint: string;
      readonly trusted: boolean;
    };

export interface ControllerReady {
  readonly consensus: Ready;
  readonly messages: readonly ControllerMessage[];
  readonly agentOps: readonly AgentOp[];
  readonly fenceOps: readonly FenceOp[];
  readonly events: readonly ControllerEvent[];
}

/**
 * Safety mechanisms of the controller that a test may switch off to prove the checkers notice.
 * Production hosts never set these.
 */
export type ControllerBug =
  /** The leader recovers a lost node's services without waiting for its fence. */
  | 'recover-before-fence'
  /** A restarted node resumes the services its replayed log says it owned. */
  | 'start-from-replayed-log'
  /** A failed stop counts as a stop: the service moves while its resources may still run. */
  | 'ignore-stop-failure'
  /** A fence record of an earlier incarnation (or before the loss) satisfies a new loss. */
  | 'accept-old-incarnation-fence';

export const CONTROLLER_BUGS: readonly ControllerBug[] = [
  'recover-before-fence',
  'start-from-replayed-log',
  'ignore-stop-failure',
  'accept-old-incarnation-fence',
];
