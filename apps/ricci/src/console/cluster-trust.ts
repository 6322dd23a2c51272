import {
  type ConsoleTrustChange,
  type ControllerEvent,
  type ControllerInput,
  type ControllerState,
  consoleTrusted,
  type ObserverEvent,
} from '@quorate/core';
import { PendingAnswers } from '../control/pending-answers.js';
import type { TrustedConsole } from './trusted-consoles.js';

/** What the agent's core offers the console API for the cluster's trusted consoles. */
export interface ClusterTrustHost {
  /** The committed replicated state; null while the node runs no resource manager. */
  state(): ControllerState | null;
  /** Feeds a controller input as the daemon feeds local inputs; false when it took none. */
  submit(input: ControllerInput): boolean;
}

export interface ClusterTrustOutcome {
  readonly ok: boolean;
  readonly message: string;
}

/** A node without a resource manager (no cluster.conf yet) keeps only its own pins. */
export const bareNodeTrustHost: ClusterTrustHost = { state: () => null, submit: () => false };

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The cluster's side of console trust (DESIGN.md §3): whether the committed state trusts a
 * console certificate, and changes submitted to the core, which the leader records in the log
 * (a follower forwards them). Each change resolves once the core answers — committed, refused
 * for want of quorum, or given up after `timeoutMs`.
 */
export class ClusterConsoleTrust {
  private next = 0;
  private readonly answers = new PendingAnswers<ClusterTrustOutcome>();

  constructor(
    private readonly host: ClusterTrustHost = bareNodeTrustHost,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** The log index this node has applied (0 without a resource manager): a pin's mark. */
  appliedIndex(): number {
    return this.host.state()?.applied ?? 0;
  }

  trustedByCluster(fingerprint: string): boolean {
    return this.host.state()?.trustedConsoles[fingerprint] !== undefined;
  }

  /** The cluster trusts it, or this node pinned it after the log's last revocation of it. */
  accepts(fingerprint: string, pin: TrustedConsole | undefined): boolean {
    const state = this.host.state();
    if (state === null) return pin !== undefined;
    return consoleTrusted(state, fingerprint, pin?.clusterIndex ?? null);
  }

  change(change: ConsoleTrustChange): Promise<ClusterTrustOutcome> {
    if (this.host.state() === null) {
      return Promise.resolve({
        ok: false,
        message: 'this node runs without a cluster.conf, so there is no cluster state to change',
      });
    }
    const id = `console-trust-${++this.next}`;
    const outcome = this.answers.wait(id, this.timeoutMs, () => ({
      ok: false,
      message: `no answer from the cluster within ${this.timeoutMs} ms`,
    }));
    if (!this.host.submit({ type: 'console-trust', id, change }))
      this.answers.settle(id, { ok: false, message: 'the agent takes no input (it is stopping)' });
    return outcome;
  }

  /** Every core event passes here; a change's result settles its waiting promise. */
  coreEvent(event: ControllerEvent | ObserverEvent): void {
    if (event.type !== 'console-trust-result') return;
    this.answers.settle(event.id, { ok: event.ok, message: event.message });
  }

  close(): void {
    this.answers.settleAll({ ok: false, message: 'the agent is stopping' });
  }
}
