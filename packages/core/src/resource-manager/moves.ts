// The steps every decision is made of: start on a node, stop (and then do what is pending),
// move. Each records the new state first and returns the agent operations in the order the
// executor must run them.
import { type Intent, type PendingMove, type ServiceState, transition } from './model.js';
import type { Placer } from './placement.js';

/** Services that run only while `id` runs (hard depend, require="always", colocate="always"). */
function dependentsOf(p: Placer, id: string): string[] {
  return p.config.services
    .filter((s) => s.requiresAlways.includes(id) || s.colocateWith.includes(id))
    .map((s) => s.id);
}

/**
 * Stops the running services that depend on `id`, their own dependents first, as rgmanager
 * stopped dependents before the service they depend on. They come back (`recovering`) once
 * the dependency runs again.
 */
export function stopDependents(
  p: Placer,
  id: string,
  atMs: number,
  seen = new Set([id]),
): Intent[] {
  const intents: Intent[] = [];
  for (const dep of dependentsOf(p, id)) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    const s = p.stateOf(dep);
    if ((s.state !== 'started' && s.state !== 'starting') || s.owner === undefined) continue;
    intents.push(...stopDependents(p, dep, atMs, seen));
    p.set(transition(s, 'stopping', s.owner, atMs, { kind: 'recover' }));
    intents.push({ op: 'stop', service: dep, node: s.owner });
  }
  return intents;
}

export function beginStart(p: Placer, s: ServiceState, node: string, atMs: number): Intent[] {
  p.set(transition(s, 'starting', node, atMs));
  return [{ op: 'start', service: s.id, node }];
}

/** Stops a running service on its owner; `then` says what follows the confirmed stop. */
export function beginStop(p: Placer, s: ServiceState, then: PendingMove, atMs: number): Intent[] {
  const intents = stopDependents(p, s.id, atMs);
  p.set(transition(s, 'stopping', s.owner, atMs, then));
  intents.push({ op: 'stop', service: s.id, node: s.owner! });
  return intents;
}

/**
 * Moves a running service: by live migration when `live` (the default for agents that can, as
 * rgmanager's failback did), else stop on the owner, then start on the target.
 */
export function beginMove(
  p: Placer,
  s: ServiceState,
  target: string,
  atMs: number,
  live = p.config.byId.get(s.id)?.migratory ?? false,
): Intent[] {
  if (!live) return beginStop(p, s, { kind: 'relocate', node: target }, atMs);
  p.set(transition(s, 'migrating', s.owner, atMs, { kind: 'migrate', node: target }));
  return [{ op: 'migrate', service: s.id, node: s.owner!, target }];
}
