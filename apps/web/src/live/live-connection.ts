import {
  type ClusterStatusView,
  type ClusterSummary,
  type LiveMessage,
  liveMessageSchema,
} from '@quorate/protocol';

/** What a page needs to know about the live link: is it fresh, and if not since when. */
export interface LiveSnapshot {
  readonly status: 'connecting' | 'open' | 'closed';
  /** When the data last stopped being live (epoch ms); null while it is live or never was. */
  readonly staleSince: number | null;
  /** The clusters this user may view, as last pushed; null before the first push. */
  readonly clusters: readonly ClusterSummary[] | null;
  /** Each viewable cluster's page state, by name, as last pushed. */
  readonly statuses: Readonly<Record<string, ClusterStatusView>>;
  /** Set once the server ended the session; the connection then stays closed. */
  readonly sessionEnded: 'expired' | 'signed-out' | null;
}

/** The few things of the browser the connection uses, so tests can stand in for them. */
export interface LiveEnvironment {
  openSocket(url: string, handlers: LiveSocketHandlers): LiveSocket;
  /** Runs `task` after `delayMs`; returns a cancel function. */
  later(task: () => void, delayMs: number): () => void;
  /** Runs `task` before the next paint (requestAnimationFrame), so bursts render once. */
  beforePaint(task: () => void): void;
  now(): number;
}

export interface LiveSocketHandlers {
  open(): void;
  message(data: unknown): void;
  close(): void;
}

export interface LiveSocket {
  close(): void;
}

const backoffMs = [500, 1000, 2000, 5000, 10_000];

/**
 * The one live-data layer: a single WebSocket per tab to `/api/live`, reconnecting by itself
 * with backoff, validating every message with the protocol's schema, and notifying React
 * (useSyncExternalStore) at most once per animation frame.
 */
export class LiveConnection {
  private snapshot: LiveSnapshot = {
    status: 'closed',
    staleSince: null,
    clusters: null,
    statuses: {},
    sessionEnded: null,
  };
  private readonly listeners = new Set<() => void>();
  private socket: LiveSocket | null = null;
  private attempts = 0;
  private cancelRetry: (() => void) | null = null;
  private notifyPending = false;
  private stopped = true;
  /**
   * Each cluster's newest pushed page state, parsed but not yet validated: under a stream of
   * changes only the last one before a frame is validated (1,000 services take milliseconds).
   */
  private readonly pendingViews = new Map<string, unknown>();

  constructor(
    private readonly url: string,
    private readonly environment: LiveEnvironment,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => {
    if (this.pendingViews.size > 0) this.applyPendingViews();
    return this.snapshot;
  };

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.update({ sessionEnded: null });
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.update({ status: 'closed' });
  }

  private connect(): void {
    this.update({ status: 'connecting' });
    const socket: LiveSocket = this.environment.openSocket(this.url, {
      open: () => {
        this.attempts = 0;
        this.update({ status: 'open', staleSince: null });
      },
      message: (data) => this.receive(data),
      close: () => {
        if (this.socket !== socket) return;
        this.socket = null;
        const staleSince = this.snapshot.staleSince ?? this.environment.now();
        this.update({ status: 'closed', staleSince });
        if (!this.stopped) this.retry();
      },
    });
    this.socket = socket;
  }

  private retry(): void {
    const delay = backoffMs[Math.min(this.attempts, backoffMs.length - 1)]!;
    this.attempts += 1;
    this.cancelRetry = this.environment.later(() => {
      this.cancelRetry = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    let message: LiveMessage;
    try {
      const raw: unknown = JSON.parse(String(data));
      const name = clusterStatusName(raw);
      if (name !== null) {
        this.pendingViews.set(name, raw);
        this.update({});
        return;
      }
      message = liveMessageSchema.parse(raw);
    } catch (error) {
      console.warn('live: ignored a message that does not match the protocol', error);
      return;
    }
    if (message.type === 'clusters') {
      this.applyPendingViews();
      // A cluster that left the list (removed, or the view role revoked) takes its status along.
      const names = new Set(message.clusters.map((c) => c.name));
      const statuses = Object.fromEntries(
        Object.entries(this.snapshot.statuses).filter(([name]) => names.has(name)),
      );
      this.update({ clusters: message.clusters, statuses });
    }
    if (message.type === 'cluster-status') {
      const view = message.cluster;
      this.update({ statuses: { ...this.snapshot.statuses, [view.name]: view } });
    }
    if (message.type === 'session-ended') {
      this.update({ sessionEnded: message.reason });
      this.stop();
    }
  }

  private applyPendingViews(): void {
    const statuses = { ...this.snapshot.statuses };
    for (const raw of this.pendingViews.values()) {
      const parsed = liveMessageSchema.safeParse(raw);
      if (parsed.success && parsed.data.type === 'cluster-status') {
        statuses[parsed.data.cluster.name] = parsed.data.cluster;
      } else {
        console.warn('live: ignored a message that does not match the protocol', parsed.error);
      }
    }
    this.pendingViews.clear();
    this.snapshot = { ...this.snapshot, statuses };
  }

  private update(change: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    if (this.notifyPending) return;
    this.notifyPending = true;
    this.environment.beforePaint(() => {
      this.notifyPending = false;
      for (const listener of this.listeners) listener();
    });
  }
}

/** The cluster a `cluster-status` push is about, read before the push is validated. */
function clusterStatusName(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { type, cluster } = raw as { type?: unknown; cluster?: { name?: unknown } | null };
  return type === 'cluster-status' && typeof cluster?.name === 'string' ? cluster.name : null;
}

/** The browser's own implementations. */
export const browserEnvironment: LiveEnvironment = {
  openSocket: (url, handlers) => {
    const socket = new WebSocket(url);
    socket.onopen = () => handlers.open();
    socket.onmessage = (event) => handlers.message(event.data);
    socket.onclose = () => handlers.close();
    return socket;
  },
  later: (task, delayMs) => {
    const id = window.setTimeout(task, delayMs);
    return () => window.clearTimeout(id);
  },
  beforePaint: (task) => {
    window.requestAnimationFrame(() => task());
  },
  now: () => Date.now(),
};

export function liveUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`;
}
