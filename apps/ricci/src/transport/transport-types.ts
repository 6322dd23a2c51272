import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ControllerMessage, PeerMessage } from '@quorate/core';

/** What travels between agents: consensus messages and the controller's (validated alike). */
export type WireMessage = PeerMessage | ControllerMessage;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the transport reports what it did; the daemon writes these as JSON lines. */
export type TransportLog = (
  level: LogLevel,
  event: string,
  fields: Record<string, unknown>,
) => void;

/** What a version 2 consensus frame says about the links: see `LINK_MARKS_SINCE_VERSION`. */
export interface LinkMarks {
  /** The frame's number on its sender's outbound link. */
  readonly seq?: number | undefined;
  /** The newest `seq` its sender received from its addressee. */
  readonly ack?: number | undefined;
}

/** A peer and the `host:port` addresses it listens on: its name's first, then its `altname`'s. */
export interface PeerAddress {
  readonly name: string;
  readonly addresses: readonly string[];
}

/** This node's TLS identity: the cluster CA and its own certificate and key, all PEM. */
export interface TransportTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface PeerTransportOptions {
  readonly self: string;
  readonly listenHost: string;
  /** 0 picks a free port (tests); the agent's default is 11111. */
  readonly listenPort: number;
  readonly tls: TransportTls;
  readonly peers: readonly PeerAddress[];
  /** Whether `name` is a node of the committed configuration; asked on every new connection. */
  readonly isMember: (name: string) => boolean;
  readonly onMessage: (message: WireMessage) => void;
  /**
   * A member's `kill` frame (`cman_tool kill -n` on `from`) arrived on its authenticated link:
   * this node must exit at once, without its leave notice.
   */
  readonly onKill?: (from: string) => void;
  readonly log: TransportLog;
  /** Frames larger than this are refused (and not sent); the default is the protocol's. */
  readonly maxFrameBytes?: number;
  /** Told when an outbound link to a peer comes up or goes down. */
  readonly onLinkChange?: (peer: string, up: boolean) => void;
  /** Reconnect delays grow from the first to the last, doubling, with jitter. */
  readonly reconnectMs?: { readonly first: number; readonly last: number };
  /**
   * The peer protocol versions this node speaks (default: the protocol package's). Each link
   * uses the highest version both of its ends speak, so nodes are upgraded one at a time.
   */
  readonly protocolVersions?: readonly number[];
  /**
   * The console API, served on the same port at its own path. With it, a client whose
   * certificate is not from the cluster CA completes the TLS handshake but may use only that
   * path; without it, such a client fails the handshake.
   */
  readonly console?: ConsoleMount;
}

/** What the peer server needs from the console API (apps/ricci/src/console). */
export interface ConsoleMount {
  readonly path: string;
  /** Takes over an HTTP upgrade request for `path`, from any client that passed TLS. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A peer's verified certificate, as its inbound link showed it (SHA-256, `AB:CD:…`). */
  peerCertificateSeen(peer: string, fingerprint: string): void;
}

export const PEER_PATH = '/quorate/peer';
