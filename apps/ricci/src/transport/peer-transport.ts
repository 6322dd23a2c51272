import { DEFAULT_MAX_PEER_FRAME_BYTES, PEER_PROTOCOL_VERSIONS } from '@quorate/protocol';
import { LivenessTicker } from './liveness-ticker.js';
import { PeerDialer } from './peer-dialer.js';
import { PeerServer } from './peer-server.js';
import type {
  LinkMarks,
  PeerAddress,
  PeerTransportOptions,
  WireMessage,
} from './transport-types.js';

const DEFAULT_RECONNECT_MS = { first: 100, last: 2000 };
/** How often each outbound link's liveness is checked (and a quiet link pinged). */
const LIVENESS_MS = 1000;

/**
 * The secure peer transport (DESIGN.md §3): one listening server that receives from peers
 * and one outbound link per peer that sends to it. Mutual TLS against the cluster CA; every
 * frame validated against `@quorate/protocol`.
 */
export class PeerTransport {
  private readonly server: PeerServer;
  private readonly dialers = new Map<string, PeerDialer>();
  private readonly maxFrameBytes: number;
  private readonly protocolVersions: readonly number[];
  private started = false;
  private port = 0;
  /** The newest incarnation each peer's inbound frames carried. */
  private readonly incarnations = new Map<string, number>();
  /** The newest link mark `seq` each peer's inbound frames carried: what ours acknowledge. */
  private readonly receivedSeqs = new Map<string, number>();
  private readonly liveness = new LivenessTicker(LIVENESS_MS);

  constructor(private readonly options: PeerTransportOptions) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_PEER_FRAME_BYTES;
    this.protocolVersions = options.protocolVersions ?? PEER_PROTOCOL_VERSIONS;
    this.server = new PeerServer({
      ...options,
      onMessage: (message) => {
        // The agent is awake anyway: a link check that fell due runs now, not on a timer.
        this.liveness.poke();
        this.noteIncarnation(message.from, message.incarnation);
        options.onMessage(message);
      },
      onLinkMarks: (peer, marks) => this.noteLinkMarks(peer, marks),
      maxFrameBytes: this.maxFrameBytes,
      protocolVersions: this.protocolVersions,
    });
    for (const peer of options.peers) this.addDialer(peer);
  }

  /** Starts listening and dialing; resolves with the port it listens on. */
  async start(): Promise<number> {
    this.port = await this.server.listen(this.options.listenHost, this.options.listenPort);
    this.options.log('info', 'peer-listening', { host: this.options.listenHost, port: this.port });
    this.started = true;
    for (const dialer of this.dialers.values()) dialer.start();
    return this.port;
  }

  /** Sends one consensus or controller message; false when it was dropped (consensus will resend). */
  send(message: WireMessage): boolean {
    return this.dialers.get(message.to)?.send(message) ?? false;
  }

  /**
   * `cman_tool kill -n peer`: sends the peer a `kill` frame on its outbound link; true once
   * written to the link, false when there is no link to it.
   */
  kill(peer: string): Promise<boolean> {
    return this.dialers.get(peer)?.sendKill() ?? Promise.resolve(false);
  }

  /** Peers with an outbound link up, and the protocol version agreed with each. */
  links(): Record<string, number | null> {
    return Object.fromEntries(
      [...this.dialers].map(([name, dialer]) => [name, dialer.linkVersion()]),
    );
  }

  /**
   * After a committed configuration changed: `peers` are the nodes of the newest committed
   * cluster.conf. A node new to it is dialled; a node that is neither in it nor a member any
   * longer (`isMember`: a node being removed votes until the change that removes it commits)
   * is no longer dialled, and its inbound connections end. Its reconnects are refused at the
   * TLS handshake, as for any node outside the configuration.
   */
  configChanged(peers: readonly PeerAddress[]): void {
    const named = new Set(peers.map((peer) => peer.name));
    for (const [name, dialer] of this.dialers) {
      if (named.has(name) || this.options.isMember(name)) continue;
      this.options.log('info', 'peer-undialled', {
        peer: name,
        reason: 'no longer in the configuration',
      });
      dialer.stop();
      this.dialers.delete(name);
    }
    for (const peer of peers) {
      const known = this.dialers.get(peer.name);
      if (known && sameAddresses(known.addresses, peer.addresses)) continue;
      // A node added, or one whose addresses changed: (re)dial it.
      known?.stop();
      const dialer = this.addDialer(peer);
      if (this.started) dialer?.start();
    }
    this.server.dropNonMembers();
  }

  /**
   * A peer that restarted (a new incarnation speaks on its inbound link) gets a new outbound
   * link at once: the old one may be dead without knowing it. A host that lost power never
   * closed its TCP connection, and ours to it keeps retrying for minutes, swallowing every
   * heartbeat, until the new incarnation is declared lost and fenced again (test hosts, chaos
   * runs: a rebooted node lost again one to three seconds after it joined).
   */
  private noteIncarnation(peer: string, incarnation: number): void {
    const known = this.incarnations.get(peer);
    if (known !== undefined && incarnation <= known) return;
    this.incarnations.set(peer, incarnation);
    if (known !== undefined) this.dialers.get(peer)?.redial('the peer restarted');
  }

  /** A peer's frame numbers what it sent us and acknowledges what we sent it (version 2). */
  private noteLinkMarks(peer: string, { seq, ack }: LinkMarks): void {
    if (seq !== undefined) this.receivedSeqs.set(peer, seq);
    if (ack !== undefined) this.dialers.get(peer)?.noteAck(ack);
  }

  /** Peers dialled now (tests). */
  dialled(): string[] {
    return [...this.dialers.keys()].sort();
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

  /** Makes the outbound link to `peer` (started by the caller); none to this node. */
  private addDialer(peer: PeerAddress): PeerDialer | null {
    if (peer.name === this.options.self) return null;
    const dialer = new PeerDialer({
      self: this.options.self,
      peer,
      tls: this.options.tls,
      log: this.options.log,
      maxFrameBytes: this.maxFrameBytes,
      protocolVersions: this.protocolVersions,
      reconnectMs: this.options.reconnectMs ?? DEFAULT_RECONNECT_MS,
      onLinkChange: this.options.onLinkChange,
      livenessTicker: this.liveness,
      receivedSeq: () => this.receivedSeqs.get(peer.name),
    });
    this.dialers.set(peer.name, dialer);
    return dialer;
  }
}

function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((address, i) => address === b[i]);
}
