import { randomUUID } from 'node:crypto';
import type {
  AlertDelivery,
  AlertPayload,
  ClusterEvent,
  ClusterStatus,
  subscribableAlertKinds,
} from '@quorate/protocol';
import type { AlertTargetRecord, ConsoleStore } from '../store/index.js';
import { AlertDetector, type AlertDraft } from './alert-detector.js';
import { type AlertSender, networkSender } from './alert-senders.js';

export interface AlertDeliveryOptions {
  /** Attempts per delivery, the first included. */
  readonly attempts: number;
  /** The wait before the second attempt; it doubles up to `maxRetryMs`. */
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
  /** One attempt's bound (connect, answer). */
  readonly attemptTimeoutMs: number;
  /** How long fencing may go unconfirmed, while services wait for it, before it alerts. */
  readonly fenceUnconfirmedMs: number;
  /** How alerts leave the console; tests may replace it. */
  readonly sender?: AlertSender;
}

export const defaultAlertDelivery: AlertDeliveryOptions = {
  attempts: 5,
  firstRetryMs: 1000,
  maxRetryMs: 30_000,
  attemptTimeoutMs: 10_000,
  fenceUnconfirmedMs: 60_000,
};

type SubscribableKind = (typeof subscribableAlertKinds)[number];

/**
 * Turns each cluster's recorded events into alerts and delivers them to the cluster's targets:
 * every delivery is logged in the store (time, target, event, status or error, attempts) and
 * retried with doubling waits, a bounded number of times. Deliveries run in the background; a
 * closed service cancels the waits still pending.
 */
export class AlertService {
  private readonly detector: AlertDetector;
  private readonly sender: AlertSender;
  /** Retry waits in progress, each with the function that ends it early. */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private sweep: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: ConsoleStore,
    private readonly now: () => number,
    private readonly options: AlertDeliveryOptions = defaultAlertDelivery,
  ) {
    this.detector = new AlertDetector(options.fenceUnconfirmedMs);
    this.sender = options.sender ?? networkSender(options.attemptTimeoutMs);
  }

  /** Checks for unconfirmed fences now and then (nothing else needs a clock). */
  start(): void {
    const everyMs = Math.max(50, Math.min(5000, this.options.fenceUnconfirmedMs / 4));
    this.sweep = setInterval(() => {
      for (const { cluster, alert } of this.detector.overdue(this.now()))
        this.raise(cluster, alert);
    }, everyMs);
    this.sweep.unref();
  }

  /** The events just recorded for `cluster` with the status they came from. */
  observe(cluster: string, events: readonly ClusterEvent[], status: ClusterStatus | null): void {
    if (status === null || this.closed) return;
    for (const alert of this.detector.observe(cluster, events, status)) this.raise(cluster, alert);
  }

  keepOnly(names: readonly string[]): void {
    this.detector.keepOnly(names);
  }

  /** Sends a test alert to one target and answers after its first attempt. */
  async sendTest(cluster: string, record: AlertTargetRecord, user: string) {
    const at = new Date(this.now()).toISOString();
    const payload = this.payload(cluster, {
      kind: 'test',
      severity: 'info',
      subject: null,
      at,
      summary: `Test alert from the Quorate console for cluster ${cluster}, sent by ${user}`,
      details: { kind: 'test', requestedBy: user },
    });
    const delivery = this.store.alerts.startDelivery(
      record.clusterId,
      { alertId: payload.id, target: record.target, kind: 'test', summary: payload.summary },
      this.now(),
    );
    let firstAttempt: () => void = () => {};
    const attempted = new Promise<void>((resolve) => {
      firstAttempt = resolve;
    });
    this.launch(delivery.id, record, payload, firstAttempt);
    await attempted;
    return this.store.alerts.delivery(delivery.id) ?? delivery;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweep);
    for (const [timer, end] of this.waits) {
      clearTimeout(timer);
      end();
    }
    this.waits.clear();
  }

  private raise(cluster: string, alert: AlertDraft): void {
    const row = this.store.clusters.byName(cluster);
    if (!row) return;
    const payload = this.payload(cluster, alert);
    for (const record of this.store.alerts.targets(row.id)) {
      if (!record.target.events.includes(alert.kind as SubscribableKind)) continue;
      const delivery = this.store.alerts.startDelivery(
        row.id,
        { alertId: payload.id, target: record.target, kind: alert.kind, summary: alert.summary },
        this.now(),
      );
      this.launch(delivery.id, record, payload, () => {});
    }
  }

  private payload(cluster: string, alert: AlertDraft): AlertPayload {
    return { schema: 'quorate.alert/1', id: randomUUID(), cluster, ...alert };
  }

  /** Delivers in the background; a store closed under it (the console stopping) ends it. */
  private launch(
    id: number,
    record: AlertTargetRecord,
    payload: AlertPayload,
    afterFirst: () => void,
  ) {
    this.deliver(id, record, payload, afterFirst).catch(afterFirst);
  }

  private async deliver(
    id: number,
    record: AlertTargetRecord,
    payload: AlertPayload,
    afterFirst: () => void,
  ): Promise<void> {
    let waitMs = this.options.firstRetryMs;
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.sender(record.target, record.secret, payload);
      const again = !result.ok && result.retry && attempt < this.options.attempts;
      const state: AlertDelivery['state'] = result.ok ? 'delivered' : again ? 'sending' : 'failed';
      // A console closing meanwhile has closed its store too: the row stays `sending`.
      if (this.closed) return afterFirst();
      const outcome = { state, status: result.status, error: result.error };
      this.store.alerts.recordAttempt(id, outcome, this.now());
      if (attempt === 1) afterFirst();
      if (!again) return;
      await this.wait(waitMs);
      waitMs = Math.min(waitMs * 2, this.options.maxRetryMs);
      if (this.closed) return;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, ms);
      this.waits.set(timer, resolve);
    });
  }
}
