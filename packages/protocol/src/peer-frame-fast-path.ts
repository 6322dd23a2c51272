import type { PeerFrame } from './peer-frame.js';

/**
 * A hand-written check for the frames an idle cluster exchanges several times a second: the
 * leader's heartbeat (`append-request`) and its answer (`append-response`). Running the zod
 * schema on each of them was a sixth of an idle agent's CPU. The check accepts a strict subset
 * of what `peerFrameSchema` accepts (a property test holds it to that) and says nothing about
 * anything else: every other frame, valid or not, goes to the schema, whose refusal names the
 * field and the rule.
 */

/** The received frame itself when it is a well-formed heartbeat or answer, else null (undecided). */
export function heartbeatFrameOrNull(value: unknown): PeerFrame | null {
  if (!isRecord(value) || value.kind !== 'consensus') return null;
  if (!hasExactKeys(value, FRAME_KEYS, MARK_KEYS)) return null;
  if (!isPositiveInt(value.version) || !isNodeName(value.from) || !isNodeName(value.to)) {
    return null;
  }
  if (!optionalCounter(value.seq) || !optionalCounter(value.ack)) return null;
  if (value.version === 1 && (value.seq !== undefined || value.ack !== undefined)) return null;
  const message = value.message;
  if (!isRecord(message) || message.from !== value.from || message.to !== value.to) return null;
  const fits =
    message.type === 'append-request'
      ? isHeartbeat(message)
      : message.type === 'append-response' && isHeartbeatAnswer(message);
  // The checks above are the schema's rules for exactly these shapes.
  return fits ? (value as unknown as PeerFrame) : null;
}

const FRAME_KEYS = ['version', 'from', 'to', 'kind', 'message'];
const MARK_KEYS = ['seq', 'ack'];
const MESSAGE_KEYS = ['from', 'to', 'term', 'incarnation', 'type'];
const HEARTBEAT_KEYS = [
  ...MESSAGE_KEYS,
  ...['prevIndex', 'prevTerm', 'entries', 'commit', 'members', 'sentTick', 'echoTick'],
];
const ANSWER_KEYS = [...MESSAGE_KEYS, 'success', 'matchIndex', 'echoTick', 'sentTick'];
/** Until a node's log holds a config, its answers carry its own file as a formation offer. */
const OFFER_KEY = ['offer'];
const OFFER_KEYS = ['version', 'text'];
const ENTRY_KEYS = ['index', 'term', 'kind', 'data'];
const ENTRY_KINDS: readonly unknown[] = ['noop', 'command', 'config', 'fence'];

function isHeartbeat(message: Record<string, unknown>): boolean {
  return (
    hasExactKeys(message, HEARTBEAT_KEYS) &&
    isCounter(message.term) &&
    isCounter(message.incarnation) &&
    isCounter(message.prevIndex) &&
    isCounter(message.prevTerm) &&
    isCounter(message.commit) &&
    isCounter(message.sentTick) &&
    // -1: no answer heard yet.
    (message.echoTick === -1 || isCounter(message.echoTick)) &&
    Array.isArray(message.members) &&
    message.members.every(isNodeName) &&
    Array.isArray(message.entries) &&
    message.entries.every(isLogEntry)
  );
}

function isHeartbeatAnswer(message: Record<string, unknown>): boolean {
  return (
    hasExactKeys(message, ANSWER_KEYS, OFFER_KEY) &&
    (message.offer === undefined || message.offer === null || isOffer(message.offer)) &&
    isCounter(message.term) &&
    isCounter(message.incarnation) &&
    typeof message.success === 'boolean' &&
    isCounter(message.matchIndex) &&
    isCounter(message.echoTick) &&
    isCounter(message.sentTick)
  );
}

function isOffer(offer: unknown): boolean {
  return (
    isRecord(offer) &&
    hasExactKeys(offer, OFFER_KEYS) &&
    isCounter(offer.version) &&
    typeof offer.text === 'string'
  );
}

function isLogEntry(entry: unknown): boolean {
  return (
    isRecord(entry) &&
    hasExactKeys(entry, ENTRY_KEYS) &&
    isPositiveInt(entry.index) &&
    isCounter(entry.term) &&
    ENTRY_KINDS.includes(entry.kind) &&
    typeof entry.data === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every key of `required` and no other, except those of `optional`. */
function hasExactKeys(
  value: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[] = [],
): boolean {
  let present = 0;
  for (const key of Object.keys(value)) {
    if (required.includes(key)) present++;
    else if (!optional.includes(key)) return false;
  }
  return present === required.length;
}

function isCounter(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function optionalCounter(value: unknown): boolean {
  return value === undefined || isCounter(value);
}

function isPositiveInt(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

const NODE_NAME = /^[^\s\p{Cc}]+$/u;
/** Names already found valid: a cluster has a handful, and each frame names two. */
const knownNames = new Set<string>();
const MAX_KNOWN_NAMES = 256;

function isNodeName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (knownNames.has(value)) return true;
  if (value.length === 0 || value.length > 255 || !NODE_NAME.test(value)) return false;
  if (knownNames.size < MAX_KNOWN_NAMES) knownNames.add(value);
  return true;
}
