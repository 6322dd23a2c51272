import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import {
  decodePeerFrame,
  encodePeerFrame,
  negotiatePeerVersion,
  type PeerFrame,
  PeerFrameError,
} from '@quorate/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { nodeNameOf } from '../tls/peer-identity.js';
import {
  type ConsoleMount,
  type LinkMarks,
  PEER_PATH,
  type TransportLog,
  type TransportTls,
  type WireMessage,
} from './transport-types.js';

export interface PeerServerOptions {
  readonly self: string;
  readonly tls: TransportTls;
  readonly isMember: (name: string) => boolean;
  readonly onMessage: (message: WireMessage) => void;
  /** A consensus frame's link marks (version 2), told before its message. */
  readonly onLinkMarks?: ((peer: string, marks: LinkMarks) => void) | undefined;
  readonly onKill?: ((from: string) => void) | undefined;
  readonly log: TransportLog;
  readonly maxFrameBytes: number;
  /** The protocol versions this node speaks; each link uses the highest both ends speak. */
  readonly protocolVersions: readonly number[];
  readonly console?: ConsoleMount;
}

/**
 * A frame this much larger than the limit is not even buffered: the WebSocket layer closes
 * the connection (1009). Between the limit and this, a frame is read, refused and logged,
 * and the connection carries on.
 */
const HARD_CAP_FACTOR = 4;

/**
 * The listening half of the peer transport: HTTPS with mandatory client certificates from the
 * cluster CA, and a WebSocket endpoint that only receives. A peer is judged right after the
 * TLS handshake, before a byte of its HTTP request is parsed (DESIGN.md §3). With the console
 * API mounted, a certificate from outside the CA passes the handshake, but its connection may
 * only upgrade on the console's path: it is cut before the peer endpoint reads anything.
 */
export class PeerServer {
  private readonly https: Server;
  private readonly sockets = new Map<WebSocket, string>();
  private readonly wss: WebSocketServer;

  constructor(private readonly options: PeerServerOptions) {
    this.https = createServer({
      ca: options.tls.caPem,
      cert: options.tls.certPem,
      key: options.tls.keyPem,
      requestCert: true,
      // Consoles present certificates of their own making; admit() and upgrade() judge them.
      rejectUnauthorized: options.console === undefined,
      minVersion: 'TLSv1.3',
    });
    this.https.prependListener('secureConnection', (socket: TLSSocket) => this.admit(socket));
    this.https.on('tlsClientError', (error, socket) => {
      options.log('warn', 'peer-refused', {
        remote: socket.remoteAddress,
        reason: 'TLS handshake failed: no certificate from the cluster CA',
        detail: error.message,
      });
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes * HARD_CAP_FACTOR,
    });
    this.https.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  /** Routes an upgrade by path: peers (cluster CA only) or the console API. */
  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const tls = request.socket as TLSSocket;
    const path = (request.url ?? '/').split('?')[0];
    const console = this.options.console;
    if (console !== undefined && path === console.path) {
      console.handleUpgrade(request, socket, head);
      return;
    }
    if (path !== PEER_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const peer = nodeNameOf(tls.getPeerCertificate());
    if (!tls.authorized || peer === null) {
      this.options.log('warn', 'peer-refused', {
        remote: tls.remoteAddress,
        reason: 'certificate not from the cluster CA: only the console path is open to it',
      });
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.options.console?.peerCertificateSeen(peer, tls.getPeerCertificate().fingerprint256);
      this.serve(ws, peer);
    });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.https.once('error', reject);
      this.https.listen(port, host, () => {
        this.https.off('error', reject);
        resolve((this.https.address() as AddressInfo).port);
      });
    });
  }

  /** Drops the connections of peers that are no longer in the committed configuration. */
  dropNonMembers(): void {
    for (const [ws, peer] of this.sockets) {
      if (!this.options.isMember(peer)) {
        this.options.log('info', 'peer-dropped', {
          peer,
          reason: 'no longer in the configuration',
        });
        ws.terminate();
      }
    }
  }

  close(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.https.closeAllConnections();
    return new Promise((resolve) => this.https.close(() => resolve()));
  }

  private admit(socket: TLSSocket): void {
    const peer = nodeNameOf(socket.getPeerCertificate());
    // Outside the CA: a console's connection, which upgrade() holds to the console path.
    if (!socket.authorized && this.options.console !== undefined) return;
    const reason = !socket.authorized
      ? 'certificate not from the cluster CA'
      : peer === null
        ? 'certificate names no node'
        : peer === this.options.self
          ? 'certificate names this node'
          : this.options.isMember(peer)
            ? null
            : `node ${peer} is not in the committed configuration`;
    if (reason === null) return;
    this.options.log('warn', 'peer-refused', { remote: socket.remoteAddress, peer, reason });
    socket.destroy();
  }

  private serve(ws: WebSocket, peer: string): void {
    this.sockets.set(ws, peer);
    this.options.log('info', 'peer-link-in', { peer });
    ws.on('message', (data, isBinary) => this.receive(ws, peer, data as Buffer, isBinary));
    ws.on('error', (error) =>
      this.options.log('warn', 'peer-link-error', { peer, detail: error.message }),
    );
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      this.options.log('info', 'peer-link-in-closed', { peer, code });
    });
  }

  private receive(ws: WebSocket, peer: string, data: Buffer, isBinary: boolean): void {
    const decoded = isBinary
      ? {
          ok: false as const,
          error: new PeerFrameError('PEER_FRAME_NOT_JSON', '/: a binary frame'),
        }
      : decodePeerFrame(data.toString('utf8'), this.options.maxFrameBytes);
    const error = decoded.ok ? this.misaddressed(decoded.frame, peer) : decoded.error;
    if (error) {
      this.options.log('warn', 'peer-frame-refused', {
        peer,
        code: error.code,
        detail: error.message,
      });
      return;
    }
    if (!decoded.ok) return;
    const frame = decoded.frame;
    if (frame.kind === 'hello') {
      const ours = this.options.protocolVersions;
      const version = negotiatePeerVersion(frame.versions, ours);
      this.options.log('info', 'peer-version', { peer, version, theirs: frame.versions });
      ws.send(
        encodePeerFrame({
          version: version ?? Math.max(...ours),
          from: this.options.self,
          to: peer,
          kind: 'hello',
          versions: [...ours],
        }),
      );
      return;
    }
    if (frame.kind === 'kill') {
      // Only a peer whose certificate names a member gets here, and it speaks for itself.
      this.options.onKill?.(peer);
      return;
    }
    if (frame.seq !== undefined || frame.ack !== undefined) this.options.onLinkMarks?.(peer, frame);
    this.options.onMessage(frame.message);
  }

  /** A peer may speak only for itself, and only to this node. */
  private misaddressed(frame: PeerFrame, peer: string): PeerFrameError | null {
    if (frame.from !== peer) {
      return new PeerFrameError(
        'PEER_FRAME_INVALID',
        `/from: ${frame.from} is not ${peer}, whom the certificate names`,
      );
    }
    if (frame.to !== this.options.self) {
      return new PeerFrameError(
        'PEER_FRAME_INVALID',
        `/to: ${frame.to} is not this node (${this.options.self})`,
      );
    }
    return null;
  }
}
