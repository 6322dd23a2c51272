import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePeerFrame, peerFrameSchema } from './peer-frame.js';
import { heartbeatFrameOrNull } from './peer-frame-fast-path.js';

/**
 * Each field's arbitrary: with `edgy`, now and then a value just outside the schema's rule (or of
 * the wrong type) instead of a valid one, so that every rule of the fast path meets its edge.
 */
function fields(edgy: boolean) {
  const near = <T>(valid: fc.Arbitrary<T>, ...edges: unknown[]): fc.Arbitrary<unknown> =>
    edgy && edges.length > 0
      ? fc.oneof(
          { weight: 12, arbitrary: valid as fc.Arbitrary<unknown> },
          { weight: 1, arbitrary: fc.constantFrom(...edges) },
        )
      : valid;
  const wrongType = ['1', null, true, [], {}];
  const names = near(
    fc.constantFrom('node1', 'node2', 'n3.example', 'é'.repeat(255)),
    '',
    'a b',
    'x\u0007',
    'tab\there',
    'é'.repeat(256),
    'n'.repeat(256),
    7,
    null,
  );
  const counter = near(fc.oneof(fc.nat(9), fc.nat()), -1, 0.5, 2 ** 53, Number.NaN, ...wrongType);
  const positive = near(fc.integer({ min: 1, max: 1000 }), 0, -1, 1.5, ...wrongType);
  const entry = near(
    fc.record({
      index: positive,
      term: counter,
      kind: near(fc.constantFrom('noop', 'command', 'config', 'fence'), 'noop ', 'other', 1),
      data: near(fc.string({ maxLength: 20 }), 5, null),
    }),
    null,
    'entry',
    [],
  );
  const offer = near(
    fc.option(fc.record({ version: counter, text: near(fc.string({ maxLength: 20 }), 3, null) })),
    'offer',
    [],
    { version: 1 },
    { version: 1, text: '', extra: 1 },
  );
  return {
    names,
    counter,
    version: near(fc.constantFrom(1, 2), 0, -1, 1.5, '2'),
    echoTick: near(fc.integer({ min: -1, max: 1_000_000 }), -2, 2 ** 53, 0.5, '0'),
    success: near(fc.boolean(), 0, 'true', null),
    entries: near(fc.array(entry, { maxLength: 3 }), {}, 'entries', null),
    members: near(fc.array(names, { maxLength: 3 }), {}, 'node1', null),
    offer,
  };
}

/** A heartbeat or answer in version 1 or (with link marks) 2; with `edgy`, often a flawed one. */
function frames(edgy: boolean) {
  const { names, counter, version, echoTick, success, entries, members, offer } = fields(edgy);
  return fc
    .record({
      from: names,
      to: names,
      term: counter,
      incarnation: counter,
      answer: fc.boolean(),
      version,
      seq: fc.option(counter, { nil: undefined }),
      ack: fc.option(counter, { nil: undefined }),
      request: fc.record({
        prevIndex: counter,
        prevTerm: counter,
        entries,
        commit: counter,
        members,
        sentTick: counter,
        echoTick,
      }),
      response: fc.record(
        { success, matchIndex: counter, echoTick: counter, sentTick: counter, offer },
        { requiredKeys: ['success', 'matchIndex', 'echoTick', 'sentTick'] },
      ),
      // Link marks in a version 1 frame, and a message between other nodes than its envelope.
      marksAnyway: edgy ? fc.boolean() : fc.constant(false),
      messageTo: edgy ? fc.option(names, { freq: 8 }) : fc.constant(null),
    })
    .map(
      ({ from, to, term, incarnation, answer, version, seq, ack, request, response, ...flaws }) => {
        const base = { from, to: flaws.messageTo ?? to, term, incarnation };
        const message = answer
          ? { ...base, type: 'append-response', ...response }
          : { ...base, type: 'append-request', ...request };
        const marks =
          version === 2 || flaws.marksAnyway
            ? { ...(seq === undefined ? {} : { seq }), ...(ack === undefined ? {} : { ack }) }
            : {};
        return { version, from, to, kind: 'consensus', message, ...marks } as Record<
          string,
          unknown
        >;
      },
    );
}

const heartbeatFrame = frames(false);
const flawedFrame = frames(true);

type Json = Record<string, unknown>;

/** The objects inside a frame that a mutation may change: the frame, its message, an entry, an offer. */
function targets(frame: Json): Json[] {
  const message = frame.message as Json;
  const entries = Array.isArray(message.entries) ? (message.entries as Json[]) : [];
  const offer = message.offer ? [message.offer as Json] : [];
  return [frame, message, ...entries, ...offer];
}

/** A frame changed in one place: a field replaced, removed, or added. */
const mutatedFrame = fc
  .tuple(
    heartbeatFrame,
    fc.nat(),
    fc.nat(),
    fc.constantFrom('replace', 'remove', 'add'),
    fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(-1, -0, 0.5, 2 ** 53, '', ' ', 'a b', 'x\u0007', 'é'.repeat(256), null),
    ),
    fc.constantFrom('smuggled', 'offer', 'seq', 'ack', '__proto__'),
  )
  .map(([frame, at, field, change, value, extra]) => {
    const copy = structuredClone(frame);
    const target = targets(copy)[at % targets(copy).length] as Json;
    const keys = Object.keys(target);
    const key = keys[field % keys.length] as string;
    if (change === 'replace') target[key] = value;
    else if (change === 'remove') delete target[key];
    else Object.defineProperty(target, extra, { value, enumerable: true, writable: true });
    return copy;
  });

describe('the heartbeat fast path', () => {
  it('accepts only what the schema accepts, and hands back what the schema would', () => {
    fc.assert(
      fc.property(fc.oneof(flawedFrame, mutatedFrame), (frame) => {
        const fast = heartbeatFrameOrNull(frame);
        if (fast === null) return;
        const schema = peerFrameSchema.safeParse(frame);
        expect(schema.success).toBe(true);
        expect(fast).toEqual(schema.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('decides every well-formed heartbeat and answer without the schema', () => {
    fc.assert(
      fc.property(heartbeatFrame, (frame) => {
        expect(heartbeatFrameOrNull(frame)).toBe(frame);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves every other frame to the schema', () => {
    const hello = { version: 2, from: 'node1', to: 'node2', kind: 'hello', versions: [1, 2] };
    expect(heartbeatFrameOrNull(hello)).toBeNull();
    const frame = fc.sample(heartbeatFrame, { numRuns: 1, seed: 3 })[0] as Json;
    const vote: Json = {
      ...(frame.message as Json),
      type: 'vote-request',
      preVote: true,
      lastLogIndex: 0,
      lastLogTerm: 0,
    };
    for (const key of ['prevIndex', 'prevTerm', 'entries', 'commit', 'members', 'sentTick']) {
      delete vote[key];
    }
    for (const key of ['echoTick', 'success', 'matchIndex', 'offer']) delete vote[key];
    const voteFrame = { ...frame, message: vote };
    expect(peerFrameSchema.safeParse(voteFrame).success).toBe(true);
    expect(heartbeatFrameOrNull(voteFrame)).toBeNull();
    expect(decodePeerFrame(JSON.stringify(voteFrame)).ok).toBe(true);
  });

  it('refuses link marks in a version 1 frame, naming the field and the rule', () => {
    const frame = fc.sample(heartbeatFrame, { numRuns: 1, seed: 7 })[0] as Json;
    const decoded = decodePeerFrame(JSON.stringify({ ...frame, version: 1, seq: 4 }));
    expect(decoded).toMatchObject({
      ok: false,
      error: { code: 'PEER_FRAME_INVALID', message: '/seq: link marks (seq, ack) need version 2' },
    });
  });
});
