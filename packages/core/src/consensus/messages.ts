import type { AppendResponse, HardState, NodeId, VoteResponse } from './types.js';

/** The addressing every peer message carries. */
export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly incarnation: number;
}

export function appendResponse(
  envelope: Envelope,
  success: boolean,
  matchIndex: number,
  echoTick: number,
  sentTick: number,
): AppendResponse {
  return { ...envelope, type: 'append-response', success, matchIndex, echoTick, sentTick };
}

export function voteResponse(
  envelope: Envelope,
  preVote: boolean,
  granted: boolean,
  sentTick: number,
): VoteResponse {
  return { ...envelope, type: 'vote-response', preVote, granted, sentTick };
}

export function sameHardState(a: HardState, b: HardState | null): boolean {
  return (
    b !== null &&
    a.term === b.term &&
    a.vote === b.vote &&
    a.commit === b.commit &&
    a.incarnation === b.incarnation
  );
}
