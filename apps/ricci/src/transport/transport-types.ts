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
  readonly log: TransportLog;
  /** Frames larger than this are refused (and not sent); the default is the protocol's. */
  readonly maxFrameBytes?: number;
  /** Told when an outbound link to a peer comes up or goes down. */
  readonly onLinkChange?: (peer: string, up: boolean) => void;
  /** Reconnect delays grow from the first to the last, doubling, with jitter. */
  readonly reconnectMs?: { readonly first: number; readonly last: number };
}

export const PEER_PATH = '/quorate/peer';
