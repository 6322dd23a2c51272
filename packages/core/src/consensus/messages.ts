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
): AppendResponse {
  return { ...envelope, type: 'append-response', success, matchIndex, echoTick };
}

export function voteResponse(envelope: Envelope, preVote: boolean, granted: boolean): VoteResponse {
  return { ...envelope, type: 'vote-response', preVote, granted };
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
