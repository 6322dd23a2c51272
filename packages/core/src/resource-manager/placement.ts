// Choosing a node for a service (rgmanager's best_target_node), as a pure function that never
// changes anything: the evaluation, the requests and the console's what-if view all ask it.
import {
  activeStates,
  type ResourceManagerState,
  type ServiceState,
  serviceState,
} from './model.js';
import { Occupancy } from './occupancy.js';
import type { RgResultName } from './result-codes.js';
import type { RmConfig, ServicePolicy } from './rm-config.js';
import { DomainOnlineCache, Score, scoreContext, scoreIn, scoreNames, scoreNode } from './score.js';

export interface PlacementInput {
  readonly config: RmConfig;
  /** Online nodes that run the resource manager. */
  readonly members: readonly string[];
  readonly state: ResourceManagerState;
  /** Lost nodes whose fencing has not succeeded yet: their services wait for it. */
  readonly awaitingFence?: readonly string[];
}

/** Why a node that the domain allows cannot take the service now. */
export interface Block {
  readonly rule: 'exclusive' | 'colocate' | 'separate';
  /** The service in the way (or missing, for colocate). */
  readonly service: string | undefined;
}

export interface NodeVerdict {
  readonly node: string;
  readonly score: (typeof scoreNames)[number];
  readonly block: Block | undefined;
}

export interface Placement {
  readonly service: string;
  /** Where it would start; undefined when nowhere. */
  readonly node: string | undefined;
  readonly result: Extract<
    RgResultName,
    'success' | 'noService' | 'notRunnable' | 'notRunnableExclusive' | 'dependency'
  >;
  readonly reason: string;
  /** Every configured node in `<clusternodes>` order, for the what-if view. */
  readonly verdicts: readonly NodeVerdict[];
}

export interface PlaceOptions {
  /** Skip this node (a relocation skips the current owner). */
  readonly exclude?: string;
}

/**
 * One membership and service state, prepared for many placement questions. Tie-breaks, where
 * rgmanager took whichever equal node it iterated last: the higher score wins; then, in an
 * ordered domain, the lower priority value; then the node running fewer services; then the node
 * listed first in `<clusternodes>`.
 */
export class Placer {
  readonly online: ReadonlySet<string>;
  readonly domains: DomainOnlineCache;
  readonly occupancy: Occupancy;
  /** Online members in `<clusternodes>` order (members missing from the config never qualify). */
  readonly candidates: readonly string[];
  /** Their indexes in `<clusternodes>`. */
  private readonly candidateRanks: readonly number[];

  /** Records changed since construction; `snapshot()` folds them into a new state. */
  private readonly changed = new Map<string, ServiceState>();

  constructor(
    readonly config: RmConfig,
    members: readonly string[],
    readonly initial: ResourceManagerState,
  ) {
    this.online = new Set(members);
    this.domains = new DomainOnlineCache(this.online);
    this.occupancy = new Occupancy(config, initial);
    this.candidates = config.nodes.filter((n) => this.online.has(n));
    this.candidateRanks = this.candidates.map((n) => config.nodeRank.get(n)!);
  }

  stateOf(id: string): ServiceState {
    return this.changed.get(id) ?? serviceState(this.initial, id);
  }

  /** Records a service's next state and what it now occupies. */
  set(next: ServiceState): void {
    this.changed.set(next.id, next);
    this.occupancy.release(next.id);
    if (next.owner === undefined || !activeStates.has(next.state)) return;
    this.occupancy.occupy(next.id, next.owner);
    if (next.pending && 'node' in next.pending) this.occupancy.occupy(next.id, next.pending.node);
  }

  snapshot(locked = this.initial.locked): ResourceManagerState {
    if (this.changed.size === 0 && locked === this.initial.locked) return this.initial;
    const services = { ...this.initial.services };
    for (const [id, s] of this.changed) services[id] = s;
    return { services, locked };
  }

  score(service: ServicePolicy, node: string): Score {
    return scoreNode(node, service, this.stateOf(service.id), this.domains);
  }

  /** The first service that `service` requires and that is not started, if any. */
  missingRequirement(service: ServicePolicy): string | undefined {
    return service.requires.find((id) => this.stateOf(id).state !== 'started');
  }

  block(service: ServicePolicy, node: string): Block | undefined {
    const rank = this.config.nodeRank.get(node);
    return rank === undefined ? undefined : this.blockAt(service, node, rank);
  }

  private blockAt(service: ServicePolicy, node: string, rank: number): Block | undefined {
    const o = this.occupancy;
    if (service.exclusive && o.countAt(rank, service.id) > 0) return exclusiveBlock;
    if (!service.exclusive && o.exclusiveTotal > 0 && o.exclusiveCountAt(rank, service.id) > 0) {
      return exclusiveBlock;
    }
    for (const id of service.colocateWith) {
      const s = this.stateOf(id);
      if (s.state !== 'started' || s.owner !== node) return { rule: 'colocate', service: id };
    }
    for (const id of service.separateFrom) {
      if (o.on(id, node)) return { rule: 'separate', service: id };
    }
    return undefined;
  }

  /** The best unblocked node, by the tie-break rules above. */
  best(service: ServicePolicy, exclude?: string): { node: string; score: Score } | undefined {
    let found: { node: string; score: Score } | undefined;
    let foundPriority = 0;
    let foundLoad = 0;
    const ctx = scoreContext(service, this.stateOf(service.id), this.domains);
    const byRank = service.domain?.priorityByRank;
    const ordered = service.domain?.ordered ?? false;
    for (let i = 0; i < this.candidates.length; i++) {
      const node = this.candidates[i]!;
      const rank = this.candidateRanks[i]!;
      if (node === exclude) continue;
      const inDomain = byRank?.[rank];
      const score = scoreIn(ctx, node, true, inDomain);
      if (score === Score.illegal || (found && score < found.score)) continue;
      if (this.blockAt(service, node, rank)) continue;
      const priority = ordered ? (inDomain ?? 1000) : 0;
      const load = this.occupancy.countAt(rank, service.id);
      const better =
        !found ||
        score > found.score ||
        priority < foundPriority ||
        (priority === foundPriority && load < foundLoad);
      if (better) {
        found = { node, score };
        foundPriority = priority;
        foundLoad = load;
      }
    }
    return found;
  }

  verdicts(service: ServicePolicy, exclude?: string): NodeVerdict[] {
    return this.config.nodes.map((node) => {
      const score = node === exclude ? Score.illegal : this.score(service, node);
      const block = score === Score.illegal ? undefined : this.block(service, node);
      return { node, score: scoreNames[score], block };
    });
  }

  /** Where `service` would start now, and why not when nowhere. */
  place(service: ServicePolicy, options: PlaceOptions = {}): Placement {
    const verdicts = this.verdicts(service, options.exclude);
    const base = { service: service.id, verdicts };
    const missing = this.missingRequirement(service);
    if (missing !== undefined) {
      return {
        ...base,
        node: undefined,
        result: 'dependency',
        reason: `${missing} is not started`,
      };
    }
    const best = this.best(service, options.exclude);
    if (best) {
      const score = scoreNames[best.score];
      return {
        ...base,
        node: best.node,
        result: 'success',
        reason: `${best.node} scores ${score}`,
      };
    }
    const legal = verdicts.filter((v) => v.score !== 'ILLEGAL');
    if (legal.length > 0 && legal.every((v) => v.block?.rule === 'exclusive')) {
      const reason = 'every legal node runs a service that excludes it';
      return { ...base, node: undefined, result: 'notRunnableExclusive', reason };
    }
    const reason = legal.length === 0 ? 'no legal node is online' : blockedReason(legal);
    return { ...base, node: undefined, result: 'notRunnable', reason };
  }
}

const exclusiveBlock: Block = { rule: 'exclusive', service: undefined };

function blockedReason(legal: readonly NodeVerdict[]): string {
  const v = legal[0]!;
  const b = v.block!;
  if (b.rule === 'colocate') return `must run with ${b.service}, which is not started on ${v.node}`;
  if (b.rule === 'separate') return `must not run with ${b.service} on ${v.node}`;
  return `${v.node} runs an exclusive service`;
}

/** Where a service would start now (what-if): nothing changes. */
export function placeService(
  input: PlacementInput,
  serviceId: string,
  options: PlaceOptions = {},
): Placement {
  const service = input.config.byId.get(serviceId);
  if (!service) {
    return {
      service: serviceId,
      node: undefined,
      result: 'noService',
      reason: `${serviceId} is not a service of this cluster`,
      verdicts: [],
    };
  }
  return new Placer(input.config, input.members, input.state).place(service, options);
}
