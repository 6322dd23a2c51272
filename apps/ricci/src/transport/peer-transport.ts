import { DEFAULT_MAX_PEER_FRAME_BYTES } from '@quorate/protocol';
import { PeerDialer } from './peer-dialer.js';
import { PeerServer } from './peer-server.js';
import type { PeerTransportOptions, WireMessage } from './transport-types.js';

const DEFAULT_RECONNECT_MS = { first: 100, last: 2000 };

/**
 * The secure peer transport (DESIGN.md §3): one listening server that receives from peers
 * and one outbound link per peer that sends to it. Mutual TLS against the cluster CA; every
 * frame validated against `@quorate/protocol`.
 */
export class PeerTransport {
  private readonly server: PeerServer;
  private readonly dialers = new Map<string, PeerDialer>();
  private port = 0;

  constructor(private readonly options: PeerTransportOptions) {
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_PEER_FRAME_BYTES;
    this.server = new PeerServer({ ...options, maxFrameBytes });
    for (const peer of options.peers) {
      if (peer.name === options.self) continue;
      const dialer = new PeerDialer({
        self: options.self,
        peer,
        tls: options.tls,
        log: options.log,
        maxFrameBytes,
        reconnectMs: options.reconnectMs ?? DEFAULT_RECONNECT_MS,
        onLinkChange: options.onLinkChange,
      });
      this.dialers.set(peer.name, dialer);
    }
  }

  /** Starts listening and dialing; resolves with the port it listens on. */
  async start(): Promise<number> {
    this.port = await this.server.listen(this.options.listenHost, this.options.listenPort);
    this.options.log('info', 'peer-listening', { host: this.options.listenHost, port: this.port });
    for (const dialer of this.dialers.values()) dialer.start();
    return this.port;
  }

  /** Sends one consensus or controller message; false when it was dropped (consensus will resend). */
  send(message: WireMessage): boolean {
    return this.dialers.get(message.to)?.send(message) ?? false;
  }

  /** Peers with an outbound link up, and the protocol version agreed with each. */
  links(): Record<string, number | null> {
    return Object.fromEntries(
      [...this.dialers].map(([name, dialer]) => [name, dialer.linkVersion()]),
    );
  }

  /** After the committed configuration changed: a deleted node's connections end. */
  membershipChanged(): void {
    this.server.dropNonMembers();
  }

  /**
   * Closes every link and the listener. With `flushMs` the outbound links first deliver what
   * was sent on them (a leave notice), waiting at most that long.
   */
  async close(flushMs = 0): Promise<void> {
    const dialers = [...this.dialers.values()];
    if (flushMs > 0) await Promise.all(dialers.map((dialer) => dialer.stopGracefully(flushMs)));
    else for (const dialer of dialers) dialer.stop();
    await this.server.close();
  }
}
