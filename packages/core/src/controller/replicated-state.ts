// The controller's replicated state: every node rebuilds it by applying the committed `command`
// entries in log order, so service ownership, fence records and the lock ARE the log (issue 5
// item 1). A snapshot carries it as `appState`.
import { controllerCommandSchema, type WireControllerCommand } from '@quorate/protocol';
import { parseFenceEntry } from '../consensus/two-node.js';
import type { LogEntry, NodeId } from '../consensus/types.js';
import {
  emptyResourceManagerState,
  type ResourceManagerState,
  type ServiceState,
  serviceState,
} from '../resource-manager/model.js';

/** Which log entry last wrote a service's record, and which one last changed its state or owner. */
export interface RecordMark {
  /** The term of the entry that last wrote the record (a new leader re-asserts in its term). */
  readonly term: number;
  readonly index: number;
  /** The entry that made the current transition (state, owner or pending move changed). */
  readonly transition: number;
}

export interface NodeRecord {
  readonly incarnation: number;
  /** The log index of the entry that recorded it. */
  readonly index: number;
}

/** A loss record: `requested` when an administrator asked for the fence (fence_node). */
export interface LossRecord extends NodeRecord {
  readonly requested?: true;
}

export interface FenceMark extends NodeRecord {
  readonly method: string;
}

/** A console certificate every node accepts without the agent password. */
export interface TrustedConsoleRecord {
  /** Who the console is (the address its password hello came from). */
  readonly label: string;
  /** The leader's stamp of the entry that trusted it. */
  readonly atMs: number;
  readonly index: number;
}

/** A revoked console: a node's own pin of it made before `index` no longer counts. */
export interface RevokedConsoleRecord {
  readonly atMs: number;
  readonly index: number;
}

export interface ControllerState {
  readonly rm: ResourceManagerState;
  readonly marks: Readonly<Record<string, RecordMark>>;
  /** The newest loss of each node the leader recorded. */
  readonly lost: Readonly<Record<NodeId, LossRecord>>;
  /** The newest successful fence of each node. */
  readonly fenced: Readonly<Record<NodeId, FenceMark>>;
  /** The newest incarnation of each node that reported its probe. */
  readonly probed: Readonly<Record<NodeId, NodeRecord>>;
  /** Console certificates the cluster trusts, by SHA-256 fingerprint. */
  readonly trustedConsoles: Readonly<Record<string, TrustedConsoleRecord>>;
  /** Console certificates revoked since they were last trusted, by fingerprint. */
  readonly revokedConsoles: Readonly<Record<string, RevokedConsoleRecord>>;
  /** The newest leader time stamp applied: a new leader never stamps earlier. */
  readonly stampMs: number;
  /** The index of the last entry applied. */
  readonly applied: number;
}

export const emptyControllerState: ControllerState = {
  rm: emptyResourceManagerState,
  marks: {},
  lost: {},
  fenced: {},
  probed: {},
  trustedConsoles: {},
  revokedConsoles: {},
  stampMs: 0,
  applied: 0,
};

export type ControllerCommand = WireControllerCommand;

export type CommandApplyResult =
  | {
      readonly ok: true;
      readonly state: ControllerState;
      readonly changed: readonly ServiceState[];
    }
  | { readonly ok: false; readonly state: ControllerState; readonly message: string };

/** Parses a command entry's data; a bad one gets a message naming the field and the rule. */
export function parseCommand(data: string): ControllerCommand | string {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return 'command: not JSON';
  }
  const parsed = controllerCommandSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'command';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

export function encodeCommand(command: ControllerCommand): string {
  return JSON.stringify(command);
}

const sameTransition = (a: ServiceState, b: ServiceState) =>
  a.state === b.state &&
  a.owner === b.owner &&
  JSON.stringify(a.pending) === JSON.stringify(b.pending);

/** A wire record back to the core's shape (absent optional fields become `undefined`). */
function toServiceState(r: ControllerCommand & { type: 'services' }, i: number): ServiceState {
  const w = r.records[i]!;
  return {
    id: w.id,
    state: w.state,
    owner: w.owner,
    lastOwner: w.lastOwner,
    restartTimesMs: w.restartTimesMs,
    frozen: w.frozen,
    partial: w.partial,
    lastTransitionMs: w.lastTransitionMs,
    pending: w.pending,
  };
}

/** Applies one command, parsed, as the entry at `index` of `term`. */
export function applyCommand(
  state: ControllerState,
  command: ControllerCommand,
  index: number,
  term: number,
): { state: ControllerState; changed: ServiceState[] } {
  const stampMs = Math.max(state.stampMs, command.atMs);
  const base = { ...state, stampMs, applied: index };
  const node = (n: NodeId, incarnation: number) => ({ [n]: { incarnation, index } });
  switch (command.type) {
    case 'node-lost': {
      const { incarnation, requested } = command;
      const record = requested ? { incarnation, index, requested } : { incarnation, index };
      return { state: { ...base, lost: { ...state.lost, [command.node]: record } }, changed: [] };
    }
    case 'probed':
      return {
        state: { ...base, probed: { ...state.probed, ...node(command.node, command.incarnation) } },
        changed: [],
      };
    case 'fenced': {
      const record = { incarnation: command.incarnation, index, method: command.method };
      return {
        state: { ...base, fenced: { ...state.fenced, [command.node]: record } },
        changed: [],
      };
    }
    case 'services': {
      const services = { ...state.rm.services };
      const marks = { ...state.marks };
      const changed: ServiceState[] = [];
      command.records.forEach((_, i) => {
        const next = toServiceState(command, i);
        const before = serviceState(state.rm, next.id);
        const same = sameTransition(before, next);
        const transition = same ? (state.marks[next.id]?.transition ?? index) : index;
        services[next.id] = next;
        marks[next.id] = { term, index, transition };
        if (!same || before.partial !== next.partial || before.frozen !== next.frozen) {
          changed.push(next);
        }
      });
      const rm = { services, locked: command.locked ?? state.rm.locked };
      return { state: { ...base, rm, marks }, changed };
    }
    case 'console-trusted': {
      const { [command.fingerprint]: _, ...revokedConsoles } = state.revokedConsoles;
      const record = { label: command.label, atMs: command.atMs, index };
      const trustedConsoles = { ...state.trustedConsoles, [command.fingerprint]: record };
      return { state: { ...base, trustedConsoles, revokedConsoles }, changed: [] };
    }
    case 'console-revoked': {
      const { [command.fingerprint]: _, ...trustedConsoles } = state.trustedConsoles;
      const record = { atMs: command.atMs, index };
      const revokedConsoles = { ...state.revokedConsoles, [command.fingerprint]: record };
      return { state: { ...base, trustedConsoles, revokedConsoles }, changed: [] };
    }
  }
}

/** Applies a committed entry; a `noop` or `config` entry only moves `applied`. */
export function applyEntry(state: ControllerState, entry: LogEntry): CommandApplyResult {
  if (entry.kind === 'fence') return applyTwoNodeFence(state, entry);
  if (entry.kind !== 'command')
    return { ok: true, state: { ...state, applied: entry.index }, changed: [] };
  const command = parseCommand(entry.data);
  if (typeof command === 'string') {
    return { ok: false, state: { ...state, applied: entry.index }, message: command };
  }
  const { state: next, changed } = applyCommand(state, command, entry.index, entry.term);
  return { ok: true, state: next, changed };
}

/**
 * A two_node lone leader's first entry (consensus `fence` entry): its peer's fence, which counts
 * for the services the peer owned as any other committed fence does.
 */
function applyTwoNodeFence(state: ControllerState, entry: LogEntry): CommandApplyResult {
  const record = parseFenceEntry(entry.data);
  const applied = { ...state, applied: entry.index };
  if (!record) return { ok: false, state: applied, message: 'fence entry: not a fence record' };
  const fence = { incarnation: record.incarnation, index: entry.index, method: 'two_node' };
  return {
    ok: true,
    state: { ...applied, fenced: { ...state.fenced, [record.node]: fence } },
    changed: [],
  };
}

/**
 * Whether a lost node still has to be fenced before anything it owned may be recovered: its
 * newest loss has no fence of that incarnation (or a later one) committed after it.
 */
export function awaitingFence(
  state: ControllerState,
  node: NodeId,
  acceptAnyFence = false,
): boolean {
  const lost = state.lost[node];
  if (!lost) return false;
  const fenced = state.fenced[node];
  if (!fenced) return true;
  if (acceptAnyFence) return false;
  return !(fenced.index > lost.index && fenced.incarnation >= lost.incarnation);
}

/**
 * Whether `node` in `incarnation` may take part: the log has its probe, and no loss of that
 * incarnation was recorded after the probe (a node declared lost stops, then probes again).
 */
export function probeCurrent(state: ControllerState, node: NodeId, incarnation: number): boolean {
  const probed = state.probed[node];
  if (probed?.incarnation !== incarnation) return false;
  return !declaredLost(state, node, incarnation);
}

/** The log records a loss of this very incarnation after its last probe. */
export function declaredLost(state: ControllerState, node: NodeId, incarnation: number): boolean {
  const lost = state.lost[node];
  return lost?.incarnation === incarnation && lost.index > (state.probed[node]?.index ?? 0);
}

export function encodeControllerState(state: ControllerState): string {
  return JSON.stringify(state);
}

/** Reads a snapshot's `appState`; an empty one is the empty state. */
export function decodeControllerState(text: string): ControllerState | string {
  if (text === '') return emptyControllerState;
  try {
    const raw = JSON.parse(text) as Partial<ControllerState>;
    if (typeof raw !== 'object' || raw === null || typeof raw.rm !== 'object') {
      return 'appState: not a controller state';
    }
    return { ...emptyControllerState, ...raw } as ControllerState;
  } catch {
    return 'appState: not JSON';
  }
}
