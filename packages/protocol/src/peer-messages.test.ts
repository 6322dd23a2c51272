import { describe, expect, it } from 'vitest';
import { consensusMessageSchema, logEntrySchema, persistRecordSchema } from './peer-messages.js';

const envelope = { from: 'n1', to: 'n2', term: 3, incarnation: 2 };
const voteRequest = {
  ...envelope,
  type: 'vote-request',
  preVote: true,
  lastLogIndex: 4,
  lastLogTerm: 2,
};

describe('peer messages added for quorum modes, formation and leave', () => {
  it('a two_node fence record is a log entry kind, on the wire and in the write-ahead log', () => {
    const entry = {
      index: 5,
      term: 3,
      kind: 'fence',
      data: '{"node":"n2","incarnation":4,"by":"n1"}',
    };
    expect(logEntrySchema.parse(entry)).toEqual(entry);
    expect(persistRecordSchema.safeParse({ kind: 'entries', entries: [entry] }).success).toBe(true);
    expect(logEntrySchema.safeParse({ ...entry, kind: 'fenced' }).success).toBe(false);
  });

  it('vote requests and responses may carry a formation offer: a file, or null for none', () => {
    const offer = { version: 7, text: '<cluster config_version="7"/>' };
    expect(consensusMessageSchema.parse({ ...voteRequest, offer })).toMatchObject({ offer });
    expect(consensusMessageSchema.parse({ ...voteRequest, offer: null })).toMatchObject({
      offer: null,
    });
    expect(consensusMessageSchema.parse(voteRequest)).not.toHaveProperty('offer');
    const response = {
      ...envelope,
      type: 'vote-response',
      preVote: false,
      granted: true,
      offer: null,
    };
    expect(consensusMessageSchema.safeParse(response).success).toBe(true);
  });

  it('append responses may carry a formation offer too, for a node that joins a leader', () => {
    const response = {
      ...envelope,
      type: 'append-response',
      success: true,
      matchIndex: 0,
      echoTick: 9,
      sentTick: 4,
    };
    const offer = { version: 3, text: '<cluster config_version="3"/>' };
    expect(consensusMessageSchema.parse({ ...response, offer })).toMatchObject({ offer });
    expect(consensusMessageSchema.parse(response)).not.toHaveProperty('offer');
    const bad = consensusMessageSchema.safeParse({ ...response, offer: { version: 3 } });
    expect(bad.error?.issues[0]?.path).toEqual(['offer', 'text']);
  });

  it('refuses an offer without a valid version, naming the field', () => {
    const result = consensusMessageSchema.safeParse({
      ...voteRequest,
      offer: { version: -1, text: '' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['offer', 'version']);
  });

  it('a leave notice carries only the envelope', () => {
    const notice = { ...envelope, type: 'leave-notice' };
    expect(consensusMessageSchema.parse(notice)).toEqual(notice);
    expect(consensusMessageSchema.safeParse({ ...notice, reason: 'bye' }).success).toBe(false);
  });
});
