import { randomInt } from 'node:crypto';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import {
  type ConsensusFrame,
  decodePeerFrame,
  encodePeerFrame,
  LINK_MARKS_SINCE_VERSION,
  negotiatePeerVersion,
} from '@quorate/protocol';
import { type ClientOptions, WebSocket } from 'ws';
import { nodeNameOf } from '../tls/peer-identity.js';
import { Backoff } from './backoff.js';
import { LivenessTicker } from './liveness-ticker.js';
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
  /** Runs the liveness checks (the transport shares one among its links); else a timer of its own. */
  readonly livenessTicker?: LivenessTicker;
  /** The newest `seq` this node received from the peer, which its frames acknowledge. */
  readonly receivedSeq?: () => number | undefined;
}

/** Messages queue in the socket beyond this only while a link stalls; then they are dropped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const HANDSHAKE_TIMEOUT_MS = 3000;
const DEFAULT_LIVENESS_MS = 1000;
/** A link that showed no sign of life for this many ping periods is given up. */
const SILENT_PERIODS = 3;

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
  /** When the link last showed it delivers: it came up, a pong, an acknowledgement. */
  private aliveAtMs = 0;
  private readonly ticker: LivenessTicker;
  private readonly checkLiveness = () => this.checkLink();
  /**
   * Link marks (protocol version 2): the next frame's `seq`, counted on across reconnects from a
   * random start, so that an ack meant for an earlier process or link cannot pass for this one's.
   */
  private nextSeq = randomInt(2 ** 47);
  /** The first `seq` sent on the current link, and the newest the peer acknowledged on it. */
  private linkFirstSeq = 0;
  private ackedSeq = -1;
  /** The peer acknowledged something new since the last check: the link delivers. */
  private proved = false;

  constructor(private readonly options: PeerDialerOptions) {
    this.backoff = new Backoff(options.reconnectMs.first, options.reconnectMs.last);
    this.ticker =
      options.livenessTicker ?? new LivenessTicker(options.livenessMs ?? DEFAULT_LIVENESS_MS);
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
    const text = encodePeerFrame(this.consensusFrame(this.version, message));
    // A UTF-16 unit is at most 3 UTF-8 bytes: a heartbeat is far too short to need counting.
    const limit = this.options.maxFrameBytes;
    const bytes = text.length * 3 > limit ? Buffer.byteLength(text) : 0;
    if (bytes > limit) {
      this.options.log('error', 'peer-frame-not-sent', {
        peer: this.peer,
        type: message.type,
        reason: `frame of ${bytes} bytes is over the ${limit}-byte limit`,
      });
      return false;
    }
    ws.send(text);
    return true;
  }

  /**
   * Sends a `kill` frame (`cman_tool kill -n`); resolves true once it was written to the link,
   * false when there is no link up or the write failed.
   */
  sendKill(): Promise<boolean> {
    const ws = this.ws;
    if (!ws || this.version === null || ws.readyState !== WebSocket.OPEN) {
      return Promise.resolve(false);
    }
    const frame = { version: this.version, from: this.options.self, to: this.peer } as const;
    return new Promise((resolve) => {
      ws.send(encodePeerFrame({ ...frame, kind: 'kill' }), (error) => resolve(!error));
    });
  }

  /**
   * The peer acknowledged `seq` (its frames' link marks): when that is a frame sent on the current
   * link and newer than any it acknowledged before, the link delivers, and needs no ping.
   */
  noteAck(seq: number): void {
    if (this.version === null || seq < this.linkFirstSeq || seq >= this.nextSeq) return;
    if (seq <= this.ackedSeq) return;
    this.ackedSeq = seq;
    this.proved = true;
    this.aliveAtMs = performance.now();
  }

  private consensusFrame(version: number, message: WireMessage): ConsensusFrame {
    const frame = { version, from: this.options.self, to: this.peer, kind: 'consensus' as const };
    if (version < LINK_MARKS_SINCE_VERSION) return { ...frame, message };
    const ack = this.options.receivedSeq?.();
    const seq = this.nextSeq++;
    return ack === undefined ? { ...frame, message, seq } : { ...frame, message, seq, ack };
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
      // Frames of a few hundred bytes gain nothing from compression; the server declines it anyway.
      perMessageDeflate: false,
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
      this.aliveAtMs = performance.now();
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
   * its leader's answers for over 15 s). A link that shows no sign of life for three ping
   * periods (a busy peer answers late, not never) is ended, and the dialer connects afresh.
   *
   * A link whose peer acknowledged a new frame since the last check (version 2's link marks)
   * delivers as surely as one that answered a ping, so it is not pinged: between a leader and
   * its followers the heartbeats and their answers prove both links, and only quiet links pay
   * for pings. A fresh link counts as proved: its handshake just came back.
   */
  private watch(): void {
    this.aliveAtMs = performance.now();
    this.linkFirstSeq = this.nextSeq;
    this.proved = true;
    this.ticker.add(this.checkLiveness);
  }

  private checkLink(): void {
    const ws = this.ws;
    if (!ws) return;
    if (this.proved) {
      this.proved = false;
      return;
    }
    if (performance.now() - this.aliveAtMs >= SILENT_PERIODS * this.ticker.periodMs) {
      this.options.log('info', 'peer-link-silent', { peer: this.peer });
      ws.terminate();
      return;
    }
    ws.ping();
  }

  private unwatch(): void {
    this.ticker.remove(this.checkLiveness);
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
