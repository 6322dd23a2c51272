import { describe, expect, it } from 'vitest';
import {
  decodePeerFrame,
  encodePeerFrame,
  negotiatePeerVersion,
  type PeerFrame,
} from './peer-frame.js';

const vote: PeerFrame = {
  version: 1,
  from: 'node1',
  to: 'node2',
  kind: 'consensus',
  message: {
    type: 'vote-request',
    from: 'node1',
    to: 'node2',
    term: 3,
    incarnation: 1,
    preVote: true,
    lastLogIndex: 7,
    lastLogTerm: 2,
  },
};

function refusal(raw: string, maxBytes?: number) {
  const decoded = decodePeerFrame(raw, maxBytes);
  if (decoded.ok) throw new Error('expected a refusal');
  return { code: decoded.error.code, message: decoded.error.message };
}

describe('peer frames', () => {
  it('round-trips a consensus frame', () => {
    expect(decodePeerFrame(encodePeerFrame(vote))).toEqual({ ok: true, frame: vote });
  });

  it('refuses an oversized frame before parsing it', () => {
    const raw = encodePeerFrame(vote);
    expect(refusal(`${raw}${' '.repeat(100)}`, raw.length + 10)).toEqual({
      code: 'PEER_FRAME_TOO_LARGE',
      message: `/: frame of ${raw.length + 100} bytes is over the ${raw.length + 10}-byte limit`,
    });
    // Multi-byte characters count in bytes, not in UTF-16 units.
    expect(refusal('"ééé"', 6).message).toContain('frame of 8 bytes');
  });

  it('refuses text that is not JSON', () => {
    expect(refusal('{"version":').code).toBe('PEER_FRAME_NOT_JSON');
  });

  it('names the field and the rule of an invalid frame', () => {
    const bad = { ...vote, message: { ...vote.message, term: -1 } };
    expect(refusal(JSON.stringify(bad))).toMatchObject({
      code: 'PEER_FRAME_INVALID',
      message: expect.stringMatching(/^\/message\/term: /),
    });
    const extra = { ...vote, message: { ...vote.message, smuggled: true } };
    expect(refusal(JSON.stringify(extra)).code).toBe('PEER_FRAME_INVALID');
    const spoofed = { ...vote, message: { ...vote.message, from: 'node3' } };
    expect(refusal(JSON.stringify(spoofed)).message).toBe(
      '/message/from: the message must travel between the same nodes as its envelope',
    );
  });

  it('refuses a consensus frame in a version this node does not speak', () => {
    expect(refusal(JSON.stringify({ ...vote, version: 9 }))).toEqual({
      code: 'PEER_VERSION_UNSUPPORTED',
      message: '/version: version 9 is not one this node speaks (1, 2)',
    });
  });

  it('round-trips a kill frame and refuses one with more than the envelope or in a foreign version', () => {
    const kill: PeerFrame = { version: 1, from: 'node1', to: 'node3', kind: 'kill' };
    expect(decodePeerFrame(encodePeerFrame(kill))).toEqual({ ok: true, frame: kill });
    expect(refusal(JSON.stringify({ ...kill, reason: 'because' }))).toMatchObject({
      code: 'PEER_FRAME_INVALID',
      message: expect.stringMatching(/^\/: .*reason/),
    });
    expect(refusal(JSON.stringify({ ...kill, to: '' }))).toMatchObject({
      code: 'PEER_FRAME_INVALID',
      message: expect.stringMatching(/^\/to: /),
    });
    expect(refusal(JSON.stringify({ ...kill, version: 9 }))).toEqual({
      code: 'PEER_VERSION_UNSUPPORTED',
      message: '/version: version 9 is not one this node speaks (1, 2)',
    });
  });

  it('negotiates the highest version both sides speak', () => {
    expect(negotiatePeerVersion([1, 2, 3], [1, 2])).toBe(2);
    expect(negotiatePeerVersion([3], [1, 2])).toBeNull();
    const hello = { version: 1, from: 'a', to: 'b', kind: 'hello', versions: [1, 2] };
    expect(decodePeerFrame(JSON.stringify(hello)).ok).toBe(true);
  });
});
