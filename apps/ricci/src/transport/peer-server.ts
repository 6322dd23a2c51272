import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  decodePeerFrame,
  encodePeerFrame,
  negotiatePeerVersion,
  PEER_PROTOCOL_VERSIONS,
  type PeerFrame,
  PeerFrameError,
} from '@quorate/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { nodeNameOf } from '../tls/peer-identity.js';
import {
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
  readonly log: TransportLog;
  readonly maxFrameBytes: number;
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
 * TLS handshake, before a byte of its HTTP request is parsed (DESIGN.md §3).
 */
export class PeerServer {
  private readonly https: Server;
  private readonly sockets = new Map<WebSocket, string>();

  constructor(private readonly options: PeerServerOptions) {
    this.https = createServer({
      ca: options.tls.caPem,
      cert: options.tls.certPem,
      key: options.tls.keyPem,
      requestCert: true,
      rejectUnauthorized: true,
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
    const wss = new WebSocketServer({
      server: this.https,
      path: PEER_PATH,
      maxPayload: options.maxFrameBytes * HARD_CAP_FACTOR,
    });
    wss.on('connection', (ws, request) => {
      const peer = nodeNameOf((request.socket as TLSSocket).getPeerCertificate());
      if (peer !== null) this.serve(ws, peer);
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
      const version = negotiatePeerVersion(frame.versions);
      this.options.log('info', 'peer-version', { peer, version, theirs: frame.versions });
      ws.send(
        encodePeerFrame({
          version: version ?? Math.max(...PEER_PROTOCOL_VERSIONS),
          from: this.options.self,
          to: peer,
          kind: 'hello',
          versions: [...PEER_PROTOCOL_VERSIONS],
        }),
      );
      return;
    }
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
