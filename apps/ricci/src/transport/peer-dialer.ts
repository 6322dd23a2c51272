import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { decodePeerFrame, encodePeerFrame, negotiatePeerVersion } from '@quorate/protocol';
import { type ClientOptions, WebSocket } from 'ws';
import { nodeNameOf } from '../tls/peer-identity.js';
import { Backoff } from './backoff.js';
import {
  PEER_PATH,
  type PeerAddress,
  type TransportLog,
  type TransportTls,
  type WireMessage,
} from './transport-types.js';

export interface PeerDialerOptions {
  readonly self: string;
  readonly peer: PeerAddress;
  readonly tls: TransportTls;
  readonly log: TransportLog;
  readonly maxFrameBytes: number;
  /** The protocol versions this node speaks; the link uses the highest both ends speak. */
  readonly protocolVersions: readonly number[];
  readonly reconnectMs: { readonly first: number; readonly last: number };
  readonly onLinkChange?: ((peer: string, up: boolean) => void) | undefined;
  /** The ping period: a link whose peer answers none of three pings is dialled again. */
  readonly livenessMs?: number;
}

/** Messages queue in the socket beyond this only while a link stalls; then they are dropped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const HANDSHAKE_TIMEOUT_MS = 3000;
const DEFAULT_LIVENESS_MS = 1000;
const MAX_UNANSWERED_PINGS = 3;

/**
 * The outbound link to one peer: dials its addresses in turn (its name's, then its altname's,
 * DESIGN.md §3), proves the server is that peer by its certificate, agrees a protocol version,
 * and redials with backoff when the link drops. Consensus tolerates lost messages, so a
 * message for a peer with no link is dropped rather than queued.
 */
export class PeerDialer {
  private ws: WebSocket | null = null;
  private version: number | null = null;
  private addressIndex = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly backoff: Backoff;
  /** The link's ping round: a ping out and no pong yet means the peer went silent. */
  private pinger: NodeJS.Timeout | null = null;
  /** Pings sent since the last pong. */
  private unanswered = 0;

  constructor(private readonly options: PeerDialerOptions) {
    this.backoff = new Backoff(options.reconnectMs.first, options.reconnectMs.last);
  }

  get peer(): string {
    return this.options.peer.name;
  }

  /** The addresses it dials in turn: the peer's name's, then its altname's. */
  get addresses(): readonly string[] {
    return this.options.peer.addresses;
  }

  /** The agreed protocol version while the link is up, else null. */
  linkVersion(): number | null {
    return this.version;
  }

  start(): void {
    this.dial();
  }

  /** Sends `message`; returns false when it was dropped (no link, stalled link, too large). */
  send(message: WireMessage): boolean {
    const ws = this.ws;
    if (!ws || this.version === null || ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return false;
    const text = encodePeerFrame({
      version: this.version,
      from: this.options.self,
      to: this.peer,
      kind: 'consensus',
      message,
    });
    if (Buffer.byteLength(text) > this.options.maxFrameBytes) {
      this.options.log('error', 'peer-frame-not-sent', {
        peer: this.peer,
        type: message.type,
        reason: `frame of ${Buffer.byteLength(text)} bytes is over the ${this.options.maxFrameBytes}-byte limit`,
      });
      return false;
    }
    ws.send(text);
    return true;
  }

  /** Drops the link (if any) and dials again at once. */
  redial(reason: string): void {
    if (this.stopped || this.ws === null) return;
    this.options.log('info', 'peer-redial', { peer: this.peer, reason });
    this.backoff.reset();
    this.ws.terminate();
  }

  stop(): void {
    this.stopped = true;
    this.unwatch();
    if (this.timer) clearTimeout(this.timer);
    this.ws?.terminate();
  }

  /**
   * Stops after what was sent has gone out: a WebSocket close handshake follows the frames
   * queued before it, so its end means the peer has them. Bounded by `timeoutMs`, after which
   * the link is cut as `stop()` does.
   */
  async stopGracefully(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.unwatch();
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(1001, 'leaving');
      });
    }
    ws?.terminate();
  }

  private dial(): void {
    if (this.stopped) return;
    const addresses = this.options.peer.addresses;
    const address = addresses[this.addressIndex % addresses.length] ?? '';
    const tlsOptions: ConnectionOptions = {
      ca: this.options.tls.caPem,
      cert: this.options.tls.certPem,
      key: this.options.tls.keyPem,
      minVersion: 'TLSv1.3',
      // Peers are reached by address; the name that matters is the node the certificate names.
      checkServerIdentity: (_host, cert) => this.checkIdentity(cert),
    };
    const clientOptions = {
      ...tlsOptions,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      maxPayload: this.options.maxFrameBytes,
      // A zero masking key, which ws then skips: masking (RFC 6455 §5.3) guards plaintext
      // proxies against crafted payloads; inside mutual TLS between nodes there are none, and
      // copying and masking every frame is idle CPU spent on nothing.
      generateMask: (mask: Buffer) => mask.fill(0),
    };
    // ws hands these to tls.connect unchanged; its typings wrongly declare checkServerIdentity
    // as returning a boolean where Node expects an Error or undefined.
    const ws = new WebSocket(
      `wss://${address}${PEER_PATH}`,
      clientOptions as unknown as ClientOptions,
    );
    this.ws = ws;
    ws.on('open', () => {
      ws.send(
        encodePeerFrame({
          version: Math.max(...this.options.protocolVersions),
          from: this.options.self,
          to: this.peer,
          kind: 'hello',
          versions: [...this.options.protocolVersions],
        }),
      );
    });
    ws.on('message', (data) => this.receiveHello(String(data), address));
    ws.on('pong', () => {
      this.unanswered = 0;
    });
    ws.on('error', (error) => {
      this.options.log('debug', 'peer-dial-failed', {
        peer: this.peer,
        address,
        detail: error.message,
      });
    });
    ws.on('close', () => this.linkDown(ws));
  }

  private checkIdentity(cert: PeerCertificate): Error | undefined {
    const name = nodeNameOf(cert);
    return name === this.peer
      ? undefined
      : new Error(`certificate names ${name ?? 'no node'}, not ${this.peer}`);
  }

  private receiveHello(text: string, address: string): void {
    const decoded = decodePeerFrame(text, this.options.maxFrameBytes);
    if (!decoded.ok || decoded.frame.kind !== 'hello') {
      this.options.log('warn', 'peer-frame-refused', {
        peer: this.peer,
        code: decoded.ok ? 'PEER_FRAME_INVALID' : decoded.error.code,
        detail: decoded.ok
          ? '/kind: only hello is expected on an outbound link'
          : decoded.error.message,
      });
      return;
    }
    const version = negotiatePeerVersion(decoded.frame.versions, this.options.protocolVersions);
    if (version === null) {
      this.options.log('error', 'peer-version-mismatch', {
        peer: this.peer,
        theirs: decoded.frame.versions,
      });
      this.ws?.close(1002, 'no shared protocol version');
      return;
    }
    const wasUp = this.version !== null;
    this.version = version;
    this.backoff.reset();
    if (!wasUp) {
      this.options.log('info', 'peer-link-up', { peer: this.peer, address, version });
      this.options.onLinkChange?.(this.peer, true);
      this.watch();
    }
  }

  /**
   * A TCP connection through a cut link, or to a host that lost power, stays open for minutes
   * while its retransmissions back off, and every message sent on it is lost: after a heal the
   * link would come back only when TCP gives up (test hosts: a healed follower stayed without
   * its leader's answers for over 15 s). Three pings in a row without an answer (a busy peer
   * answers late, not never) end the link, and the dialer connects afresh.
   */
  private watch(): void {
    this.unwatch();
    this.unanswered = 0;
    this.pinger = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      if (this.unanswered >= MAX_UNANSWERED_PINGS) {
        this.options.log('info', 'peer-link-silent', { peer: this.peer });
        ws.terminate();
        return;
      }
      this.unanswered++;
      ws.ping();
    }, this.options.livenessMs ?? DEFAULT_LIVENESS_MS);
    this.pinger.unref();
  }

  private unwatch(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
  }

  private linkDown(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.unwatch();
    if (this.version !== null) {
      this.version = null;
      this.options.log('info', 'peer-link-down', { peer: this.peer });
      this.options.onLinkChange?.(this.peer, false);
    } else {
      // This address did not answer: try the peer's next one (its altname link).
      this.addressIndex++;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => this.dial(), this.backoff.nextDelayMs());
    this.timer.unref();
  }
}
