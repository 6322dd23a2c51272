import { crc32c } from './crc32c.js';

/**
 * The on-disk frame of one record: a 4-byte payload length and a 4-byte CRC-32C over the
 * length and the payload (both big-endian), then the payload. Covering the length by the
 * checksum means a flipped length bit is caught instead of misframing everything after it.
 */
export const FRAME_HEADER_BYTES = 8;
/** No record is larger than this; a length beyond it is damage, not data. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.set(payload, FRAME_HEADER_BYTES);
  frame.writeUInt32BE(frameChecksum(frame.subarray(0, 4), payload), 4);
  return frame;
}

function frameChecksum(lengthBytes: Uint8Array, payload: Uint8Array): number {
  return crc32c(payload, crc32c(lengthBytes));
}

/** What scanning a file of frames found. */
export interface FrameScan {
  readonly payloads: readonly { readonly offset: number; readonly payload: Buffer }[];
  /** Where the valid frames end; bytes after it are a torn tail to truncate. */
  readonly validBytes: number;
  /** Set when the bytes after `validBytes` are damage a torn write cannot explain. */
  readonly corruption: { readonly offset: number; readonly rule: string } | null;
}

/**
 * Reads frames until the data ends. A torn write — the last frame cut short, or ending in the
 * zeros of a block the file system extended but never filled — is a tail to truncate: it was
 * never acknowledged, since nothing is sent before its fsync. Any other damage (a bad checksum
 * with intact data after it, an impossible length) is corruption.
 */
export function scanFrames(data: Buffer): FrameScan {
  const payloads: { offset: number; payload: Buffer }[] = [];
  let offset = 0;
  while (offset < data.length) {
    const rest = data.subarray(offset);
    if (rest.length < FRAME_HEADER_BYTES) return { payloads, validBytes: offset, corruption: null };
    const length = rest.readUInt32BE(0);
    if (length === 0 || length > MAX_RECORD_BYTES) {
      const corruption = allZero(rest)
        ? null
        : { offset, rule: `record length ${length} is impossible` };
      return { payloads, validBytes: offset, corruption };
    }
    const end = FRAME_HEADER_BYTES + length;
    if (rest.length < end) return { payloads, validBytes: offset, corruption: null };
    const payload = rest.subarray(FRAME_HEADER_BYTES, end);
    if (frameChecksum(rest.subarray(0, 4), payload) !== rest.readUInt32BE(4)) {
      const tornTail = rest.length === end && payload[payload.length - 1] === 0;
      const corruption = tornTail ? null : { offset, rule: 'record checksum (CRC-32C) mismatch' };
      return { payloads, validBytes: offset, corruption };
    }
    payloads.push({ offset, payload: Buffer.from(payload) });
    offset += end;
  }
  return { payloads, validBytes: offset, corruption: null };
}

function allZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}
