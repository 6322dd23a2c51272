import { z } from 'zod';
import { controllerMessageSchema } from './controller-messages.js';
import type { ErrorCode } from './error-codes.js';
import { heartbeatFrameOrNull } from './peer-frame-fast-path.js';
import { consensusMessageSchema, nodeNameSchema } from './peer-messages.js';

/**
 * The peer protocol's frames. Every WebSocket message is one JSON frame carrying the protocol
 * version it is written in, its sender and its addressee. A connection opens with `hello` from
 * each side, listing the versions the sender speaks; both then use the highest version both
 * list, so nodes can be upgraded one at a time (DESIGN.md §3).
 */
export const PEER_PROTOCOL_VERSIONS: readonly number[] = [1, 2];

/**
 * Version 2 adds link marks to consensus frames, so that a busy link needs no pings: `seq`
 * numbers the frames a sender's outbound link carries, and `ack` is the newest `seq` the sender
 * received from the addressee. An ack that moves on proves the addressee's link to the sender
 * delivers, as a pong would.
 */
export const LINK_MARKS_SINCE_VERSION = 2;

/** Frames larger than this are refused before they are parsed. */
export const DEFAULT_MAX_PEER_FRAME_BYTES = 4 * 1024 * 1024;

const envelope = {
  version: z.number().int().positive(),
  from: nodeNameSchema,
  to: nodeNameSchema,
};

export const helloFrameSchema = z.strictObject({
  ...envelope,
  kind: z.literal('hello'),
  versions: z.array(z.number().int().positive()).min(1).max(32).readonly(),
});

export const consensusFrameSchema = z
  .strictObject({
    ...envelope,
    kind: z.literal('consensus'),
    // The resource manager's controller messages travel on the same links (DESIGN.md §2).
    message: z.union([consensusMessageSchema, controllerMessageSchema]),
    seq: z.number().int().nonnegative().optional(),
    ack: z.number().int().nonnegative().optional(),
  })
  .refine((frame) => frame.message.from === frame.from && frame.message.to === frame.to, {
    path: ['message', 'from'],
    message: 'the message must travel between the same nodes as its envelope',
  })
  .refine(
    (frame) =>
      frame.version >= LINK_MARKS_SINCE_VERSION ||
      (frame.seq === undefined && frame.ack === undefined),
    { path: ['seq'], message: `link marks (seq, ack) need version ${LINK_MARKS_SINCE_VERSION}` },
  );

/**
 * `cman_tool kill -n NAME`: the addressee exits at once, without the leave notice, so that its
 * peers treat it as failed and fence it before its services are recovered. Only the envelope:
 * the sender is the node its certificate names (the transport checks `from` against it).
 */
export const killFrameSchema = z.strictObject({
  ...envelope,
  kind: z.literal('kill'),
});

export const peerFrameSchema = z.discriminatedUnion('kind', [
  helloFrameSchema,
  consensusFrameSchema,
  killFrameSchema,
]);

export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type ConsensusFrame = z.infer<typeof consensusFrameSchema>;
export type KillFrame = z.infer<typeof killFrameSchema>;
export type PeerFrame = z.infer<typeof peerFrameSchema>;

export type PeerFrameErrorCode = Extract<ErrorCode, `PEER_${string}`>;

/** Why a received frame was refused; `message` names the field and the rule. */
export class PeerFrameError extends Error {
  override readonly name = 'PeerFrameError';
  constructor(
    readonly code: PeerFrameErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type DecodedPeerFrame =
  | { readonly ok: true; readonly frame: PeerFrame }
  | { readonly ok: false; readonly error: PeerFrameError };

/** Validates one received frame; never throws. */
export function decodePeerFrame(
  raw: string,
  maxBytes = DEFAULT_MAX_PEER_FRAME_BYTES,
): DecodedPeerFrame {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so a shorter frame needs no count: counting
  // costs more than parsing a heartbeat, which arrives several times a second.
  const size = raw.length * 3 > maxBytes ? utf8ByteLength(raw) : 0;
  if (size > maxBytes) {
    return fail(
      'PEER_FRAME_TOO_LARGE',
      `/: frame of ${size} bytes is over the ${maxBytes}-byte limit`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail('PEER_FRAME_NOT_JSON', '/: the frame is not JSON');
  }
  // The heartbeat and its answer, the bulk of the traffic, are checked by hand; the schema
  // decides every other frame and names the field and the rule of a refusal.
  const heartbeat = heartbeatFrameOrNull(parsed);
  const result = heartbeat
    ? { success: true as const, data: heartbeat }
    : peerFrameSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? `/${issue.path.join('/')}` : '/';
    return fail('PEER_FRAME_INVALID', `${path}: ${issue?.message ?? 'invalid frame'}`);
  }
  // A hello lists the versions its sender speaks; every other frame is written in one of ours.
  if (result.data.kind !== 'hello' && !PEER_PROTOCOL_VERSIONS.includes(result.data.version)) {
    return fail(
      'PEER_VERSION_UNSUPPORTED',
      `/version: version ${result.data.version} is not one this node speaks (${PEER_PROTOCOL_VERSIONS.join(', ')})`,
    );
  }
  return { ok: true, frame: result.data };
}

/** The highest version both sides speak, or null when they share none. */
export function negotiatePeerVersion(
  theirs: readonly number[],
  ours: readonly number[] = PEER_PROTOCOL_VERSIONS,
): number | null {
  const shared = ours.filter((version) => theirs.includes(version));
  return shared.length === 0 ? null : Math.max(...shared);
}

export function encodePeerFrame(frame: PeerFrame): string {
  return JSON.stringify(frame);
}

function fail(code: PeerFrameErrorCode, message: string): DecodedPeerFrame {
  return { ok: false, error: new PeerFrameError(code, message) };
}

/** UTF-8 size without TextEncoder, which this package's platform-neutral lib does not declare. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
