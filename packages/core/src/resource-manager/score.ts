// rgmanager's node_should_start (fo_domain.c): how much a service wants to run on a node.
import type { ServiceState } from './model.js';
import type { DomainPolicy, ServicePolicy } from './rm-config.js';

export const Score = { illegal: 0, good: 1, better: 2, best: 3 } as const;
export type Score = (typeof Score)[keyof typeof Score];
export const scoreNames = ['ILLEGAL', 'GOOD', 'BETTER', 'BEST'] as const;

/** The online members of a domain, computed once per evaluation. */
export interface DomainOnline {
  readonly anyOnline: boolean;
  /** The lowest priority value among online members (ordered domains). */
  readonly lowestPriority: number;
}

export function domainOnline(domain: DomainPolicy, online: ReadonlySet<string>): DomainOnline {
  let anyOnline = false;
  let lowestPriority = Number.POSITIVE_INFINITY;
  for (const [node, priority] of domain.priorities) {
    if (!online.has(node)) continue;
    anyOnline = true;
    if (priority < lowestPriority) lowestPriority = priority;
  }
  return { anyOnline, lowestPriority };
}

/** Caches `domainOnline` per domain for one membership. */
export class DomainOnlineCache {
  private readonly cache = new Map<DomainPolicy, DomainOnline>();
  constructor(readonly online: ReadonlySet<string>) {}
  get(domain: DomainPolicy): DomainOnline {
    let d = this.cache.get(domain);
    if (!d) {
      d = domainOnline(domain, this.online);
      this.cache.set(domain, d);
    }
    return d;
  }
}

/** What scoring one service needs, computed once for all nodes. */
export interface ScoreContext {
  readonly domain: DomainPolicy | undefined;
  readonly online: DomainOnline;
  /** nofailback keeps the service on its owner (started, owner online). */
  readonly keptBy: string | undefined;
}

const noDomain: DomainOnline = { anyOnline: false, lowestPriority: 0 };

export function scoreContext(
  service: ServicePolicy,
  state: ServiceState,
  domains: DomainOnlineCache,
): ScoreContext {
  const domain = service.domain;
  if (!domain) return { domain, online: noDomain, keptBy: undefined };
  const kept =
    domain.nofailback &&
    state.state === 'started' &&
    state.owner !== undefined &&
    domains.online.has(state.owner);
  return { domain, online: domains.get(domain), keptBy: kept ? state.owner : undefined };
}

/**
 * ILLEGAL for an offline node or one outside a restricted domain; BEST everywhere without a
 * domain; in an ordered domain BEST for the online members with the lowest priority value and
 * BETTER for the other members; GOOD for a node outside an unrestricted domain that has a member
 * online. `nofailback` keeps a started service where it is: its owner scores BEST and the
 * preferred members only BETTER. `priority` is the node's in the domain (undefined: not in it).
 */
export function scoreIn(
  ctx: ScoreContext,
  node: string,
  online: boolean,
  priority: number | undefined,
): Score {
  if (!online) return Score.illegal;
  const domain = ctx.domain;
  if (!domain) return Score.best;
  if (priority === undefined) {
    if (domain.restricted) return Score.illegal;
    return ctx.online.anyOnline ? Score.good : Score.best;
  }
  if (!domain.ordered) return Score.best;
  if (priority === ctx.online.lowestPriority) {
    return ctx.keptBy !== undefined && ctx.keptBy !== node ? Score.better : Score.best;
  }
  return ctx.keptBy === node ? Score.best : Score.better;
}

/** rgmanager's node_should_start for one node. */
export function scoreNode(
  node: string,
  service: ServicePolicy,
  state: ServiceState,
  domains: DomainOnlineCache,
): Score {
  const ctx = scoreContext(service, state, domains);
  return scoreIn(ctx, node, domains.online.has(node), service.domain?.priorities.get(node));
}
