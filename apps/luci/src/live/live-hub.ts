import { type ClusterStatusView, type LiveMessage, liveCloseCodes } from '@quorate/protocol';
import type { WebSocket } from 'ws';
import type { SessionManager } from '../auth/session-manager.js';
import type { ClusterRegistry } from '../cluster-link/cluster-registry.js';
import type { UserRow } from '../store/index.js';

/** A cluster's page state as `user` may see it; null when the user may not view it. */
export type StatusViewFor = (user: UserRow, cluster: string) => ClusterStatusView | null;

interface LiveClient {
  readonly socket: WebSocket;
  readonly tokenHash: string;
}

type EndReason = Extract<LiveMessage, { type: 'session-ended' }>['reason'];

/**
 * The browser tabs' live sockets (one per tab). It pushes the cluster registry and the status of
 * every cluster to each tab as they change, filtered by what that tab's user may see, and tells
 * a tab when its session ended.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();

  constructor(
    private readonly sessions: SessionManager,
    private readonly registry: () => ClusterRegistry,
    private readonly statusFor: StatusViewFor,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  add(socket: WebSocket, tokenHash: string): void {
    const client = { socket, tokenHash };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    const clusters = this.pushClusters(client);
    for (const name of clusters) this.pushStatus(client, name);
  }

  /** Sends every tab its user's current cluster list. */
  publishClusters(): void {
    for (const client of this.clients) this.pushClusters(client);
  }

  /**
   * Sends every tab whose user may view `cluster` that cluster's page state. A user's tabs share
   * one view, built and serialised once per push (a 1,000-service status is ~160 KB of JSON).
   */
  publishStatus(cluster: string): void {
    const frames = new Map<number, string | null>();
    for (const client of this.clients) this.pushStatus(client, cluster, frames);
  }

  /** Ends the tabs of one session (sign-out) or of every session whose store row is gone. */
  endSession(tokenHash: string, reason: EndReason): void {
    for (const client of this.clients) {
      if (client.tokenHash === tokenHash) this.end(client, reason);
    }
  }

  /** Ends the tabs whose sessions expired or were deleted (a user removed, a password reset). */
  sweep(): void {
    for (const client of this.clients) {
      if (!this.sessions.principalByHash(client.tokenHash)) this.end(client, 'expired');
    }
  }

  closeAll(): void {
    for (const client of this.clients) client.socket.close(1001, 'console shutting down');
    this.clients.clear();
  }

  /** Sends the tab its user's cluster list; returns the names in it. */
  private pushClusters(client: LiveClient): string[] {
    const principal = this.sessions.principalByHash(client.tokenHash);
    if (!principal) {
      this.end(client, 'expired');
      return [];
    }
    const clusters = this.registry().listFor(principal.user);
    send(client.socket, { type: 'clusters', clusters });
    return clusters.map((c) => c.name);
  }

  /** `frames`: the serialised push per user id, shared by one publish round. */
  private pushStatus(
    client: LiveClient,
    cluster: string,
    frames = new Map<number, string | null>(),
  ): void {
    const principal = this.sessions.principalByHash(client.tokenHash);
    if (!principal) return;
    let frame = frames.get(principal.user.id);
    if (frame === undefined) {
      const view = this.statusFor(principal.user, cluster);
      frame = view ? encode({ type: 'cluster-status', cluster: view }) : null;
      frames.set(principal.user.id, frame);
    }
    if (frame !== null) sendFrame(client.socket, frame);
  }

  private end(client: LiveClient, reason: EndReason): void {
    send(client.socket, { type: 'session-ended', reason });
    client.socket.close(liveCloseCodes.sessionEnded, `session ${reason}`);
    this.clients.delete(client);
  }
}

const encode = (message: LiveMessage): string => JSON.stringify(message);

function send(socket: WebSocket, message: LiveMessage): void {
  sendFrame(socket, encode(message));
}

function sendFrame(socket: WebSocket, frame: string): void {
  if (socket.readyState === socket.OPEN) socket.send(frame);
}
