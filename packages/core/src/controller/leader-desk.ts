// Requests that any node may take but only the leader can record (a console trust change, a
// cluster.conf proposal): the leader records them in its log, a follower forwards them to the
// leader, and the answer comes once the entry is committed — or as a failure when the leader
// changes first, refuses, or does not answer in time. The caller learns the outcome either way.
import type { NodeId } from '../consensus/types.js';

/** The outcome of a request: `ok` once its entry is committed. */
export interface DeskResult {
  readonly ok: boolean;
  readonly message: string;
  /** Why it was refused, when the recorder says (`not-quorate`, `version-not-greater`, …). */
  readonly rule?: string;
  /** The config_version a committed cluster.conf proposal got. */
  readonly version?: number;
}

/** What the leader's recorder did with a request: an entry to wait for, or a refusal. */
export type DeskRecord =
  | { readonly index: number; readonly message: string; readonly version?: number }
  | { readonly refused: DeskResult };

export interface DeskHost<Request> {
  readonly self: NodeId;
  /** Records the request when this node leads and may append; null when it does not lead. */
  record(request: Request, now: number): DeskRecord | null;
  status(): { readonly leader: NodeId | null; readonly quorate: boolean; readonly commit: number };
  /** Ticks a forwarded request waits for the leader's answer. */
  forwardTimeoutTicks(): number;
  forward(leader: NodeId, requestId: string, request: Request): void;
  /** Sends the answer to the follower that forwarded the request. */
  reply(to: NodeId, requestId: string, result: DeskResult): void;
  /** Answers a request asked on this node. */
  answer(requestId: string, result: DeskResult): void;
  /**
   * Whether a forwarded request whose answer never came took effect all the same (the leader
   * committed it, then its reply was lost to a leader change): its result, else null.
   */
  settled?(request: Request): DeskResult | null;
}

/** The rule of a refusal that says nothing about the request itself: ask again. */
export const RETRY = 'try-again';

interface Awaiting {
  readonly index: number;
  readonly to: NodeId;
  readonly id: string;
  readonly result: DeskResult;
}

export class LeaderDesk<Request> {
  /** Requests forwarded to the leader: id → the tick they give up, and the request. */
  private readonly forwarded = new Map<string, { deadline: number; request: Request }>();
  /** The leader's answers due once their entries commit. */
  private pending: Awaiting[] = [];

  constructor(
    private readonly host: DeskHost<Request>,
    private readonly noQuorumMessage: string,
  ) {}

  /** A request asked on this node (`from` is this node) or forwarded by `from`. */
  request(from: NodeId, id: string, request: Request, now: number): void {
    const record = this.host.record(request, now);
    if (record) {
      this.recorded(from, id, record);
      return;
    }
    const s = this.host.status();
    const self = this.host.self;
    // Forwarded whenever a leader is known, quorate here or not: a node without votes never
    // counts itself quorate, and the leader judges quorum anyway.
    if (from === self && s.leader !== null && s.leader !== self) {
      this.forwarded.set(id, { deadline: now + this.host.forwardTimeoutTicks(), request });
      this.host.forward(s.leader, id, request);
      return;
    }
    this.respond(
      from,
      id,
      s.quorate && s.leader !== null
        ? { ok: false, message: 'the leader is taking over; try again in a moment', rule: RETRY }
        : { ok: false, message: this.noQuorumMessage, rule: 'not-quorate' },
    );
  }

  private recorded(from: NodeId, id: string, record: DeskRecord): void {
    if ('refused' in record) this.respond(from, id, record.refused);
    else {
      const result = { ok: true, message: record.message, version: record.version };
      if (record.index <= this.host.status().commit) this.respond(from, id, result);
      else this.pending.push({ index: record.index, to: from, id, result });
    }
  }

  /** Answers the requests whose entries are now committed. */
  committed(commit: number): void {
    if (this.pending.length === 0) return;
    const due = this.pending.filter((a) => a.index <= commit);
    this.pending = this.pending.filter((a) => a.index > commit);
    for (const a of due) this.respond(a.to, a.id, a.result);
  }

  /** Whether answers are due once entries commit (this node leads, or led until just now). */
  awaiting(): boolean {
    return this.pending.length > 0;
  }

  /** Leadership ended before the entries committed: they may still commit, or not. */
  abandon(): void {
    const open = this.pending;
    this.pending = [];
    for (const a of open) {
      this.respond(a.to, a.id, {
        ok: false,
        message: 'the leader changed; try again',
        rule: RETRY,
      });
    }
  }

  /**
   * Forwarded requests the leader never answered (it failed, a link broke) fail, unless what
   * they asked for is in effect here already (the answer was lost, not the change).
   */
  tick(now: number): void {
    for (const [id, { deadline, request }] of this.forwarded) {
      if (deadline > now) continue;
      this.forwarded.delete(id);
      const message = 'the leader did not answer in time; try again';
      this.host.answer(id, this.host.settled?.(request) ?? { ok: false, message, rule: RETRY });
    }
  }

  /** The leader's answer to a request this node forwarded. */
  answered(id: string, result: DeskResult): void {
    // An answer after the wait ran out: the request was already answered as failed.
    if (this.forwarded.delete(id)) this.host.answer(id, result);
  }

  private respond(to: NodeId, id: string, result: DeskResult): void {
    if (to === this.host.self) this.host.answer(id, result);
    else this.host.reply(to, id, result);
  }
}
