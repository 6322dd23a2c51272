import type { ControllerEvent, ObserverEvent } from '@quorate/core';
import type { TransportLog } from '../transport/transport-types.js';
import { ClusterConsoleTrust, type ClusterTrustOutcome } from './cluster-trust.js';
import { TrustedConsoles } from './trusted-consoles.js';

export type ConsoleTrustLevel = 'cluster' | 'node';

/** How long a password hello waits for the cluster to commit the trust before its welcome. */
const DEFAULT_TRUST_WAIT_MS = 3000;
const MAX_LABEL_LENGTH = 255;

export interface ConsoleTrustGateOptions {
  readonly stateDir: string;
  readonly cluster?: ClusterConsoleTrust;
  readonly log: TransportLog;
  readonly trustWaitMs?: number;
}

/**
 * Which console certificates this agent accepts: those the replicated cluster state trusts,
 * and those this node pinned itself after a password hello (a bare node, or a cluster that
 * could not record the trust) unless the log revoked them since. A password hello pins here
 * and submits the trust to the cluster; a revocation drops the pin here and in the cluster.
 */
export class ConsoleTrustGate {
  private readonly pins: TrustedConsoles;
  private readonly cluster: ClusterConsoleTrust;
  private readonly trustWaitMs: number;

  constructor(private readonly options: ConsoleTrustGateOptions) {
    this.pins = new TrustedConsoles(options.stateDir);
    this.cluster = options.cluster ?? new ClusterConsoleTrust();
    this.trustWaitMs = options.trustWaitMs ?? DEFAULT_TRUST_WAIT_MS;
  }

  accepts(fingerprint: string): boolean {
    return this.cluster.accepts(fingerprint, this.pins.get(fingerprint));
  }

  level(fingerprint: string): ConsoleTrustLevel {
    return this.cluster.trustedByCluster(fingerprint) ? 'cluster' : 'node';
  }

  /**
   * The console proved the agent password: pinned here durably at once, then trusted by the
   * cluster. The answer says whether the cluster committed it within the wait; a change still
   * in flight then completes (and is logged) later.
   */
  async passwordProven(
    fingerprint: string,
    remote: string,
    nowMs: number,
  ): Promise<ConsoleTrustLevel> {
    if (!this.accepts(fingerprint)) {
      this.pins.pin(fingerprint, remote, nowMs, this.cluster.appliedIndex());
      this.options.log('info', 'console-pinned', { remote, fingerprint });
    }
    if (this.cluster.trustedByCluster(fingerprint)) return 'cluster';
    const label = remote.slice(0, MAX_LABEL_LENGTH) || 'console';
    const change = this.cluster.change({ kind: 'trust', fingerprint, label });
    void change.then((outcome) => this.logTrust(fingerprint, remote, outcome));
    const outcome = await within(change, this.trustWaitMs);
    return outcome?.ok ? 'cluster' : 'node';
  }

  /** Drops this node's pin and asks the cluster to revoke; `cluster` says whether it did. */
  async revoke(fingerprint: string): Promise<{ cluster: boolean; message: string }> {
    const unpinned = this.pins.unpin(fingerprint);
    const outcome = await this.cluster.change({ kind: 'revoke', fingerprint });
    const here = unpinned ? "this node's pin is removed" : 'this node had no pin of its own';
    return outcome.ok
      ? { cluster: true, message: `${outcome.message}; ${here}` }
      : { cluster: false, message: `${here}; the cluster did not record it: ${outcome.message}` };
  }

  coreEvent(event: ControllerEvent | ObserverEvent): void {
    this.cluster.coreEvent(event);
  }

  close(): void {
    this.cluster.close();
  }

  private logTrust(fingerprint: string, remote: string, outcome: ClusterTrustOutcome): void {
    if (outcome.ok) this.options.log('info', 'console-trusted-by-cluster', { remote, fingerprint });
    else
      this.options.log('warn', 'console-trust-not-recorded', {
        remote,
        fingerprint,
        detail: outcome.message,
      });
  }
}

/** The promise's value, or undefined when it takes longer than `timeoutMs`. */
function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
