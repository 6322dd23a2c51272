// Placement properties over generated clusters: random failover domains (ordered, restricted,
// nofailback, priorities), exclusive services and autostart, and random node failures,
// returns and relocations, each followed by the leader's evaluation to a steady state.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assertProperty } from '../../testing/arbitrary.js';
import { placeAll } from './evaluate.js';
import { activeStates, serviceState } from './model.js';
import { placeService } from './placement.js';
import { applyRequest } from './requests.js';
import type { ServicePolicy } from './rm-config.js';
import { TranscriptWorld } from './transcript.js';

const arbDomain = fc.record({
  ordered: fc.boolean(),
  restricted: fc.boolean(),
  nofailback: fc.boolean(),
  members: fc.uniqueArray(fc.record({ node: fc.nat(5), priority: fc.nat(4) }), {
    minLength: 1,
    maxLength: 4,
    selector: (m) => m.node,
  }),
});

const arbService = fc.record({
  domain: fc.option(fc.nat(2), { nil: undefined }),
  exclusive: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
  autostart: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
});

const arbEvent = fc.oneof(
  fc.record({ kind: fc.constant('fail' as const), node: fc.nat(5) }),
  fc.record({ kind: fc.constant('return' as const), node: fc.nat(5) }),
  fc.record({ kind: fc.constant('relocate' as const), service: fc.nat(7) }),
);

const arbCluster = fc.record({
  nodeCount: fc.integer({ min: 2, max: 6 }),
  domains: fc.array(arbDomain, { maxLength: 3 }),
  services: fc.array(arbService, { minLength: 1, maxLength: 8 }),
  online: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  events: fc.array(arbEvent, { maxLength: 6 }),
});

type Cluster = typeof arbCluster extends fc.Arbitrary<infer T> ? T : never;

function configXml(c: Cluster): string {
  const node = (i: number) => `node${(i % c.nodeCount) + 1}`;
  const nodes = Array.from(
    { length: c.nodeCount },
    (_, i) => `<clusternode name="${node(i)}" nodeid="${i + 1}"/>`,
  );
  const domains = c.domains.map((d, i) => {
    const seen = new Set<string>();
    const members = d.members
      .filter((m) => !seen.has(node(m.node)) && seen.add(node(m.node)))
      .map((m) => `<failoverdomainnode name="${node(m.node)}" priority="${m.priority}"/>`);
    const flags = `ordered="${+d.ordered}" restricted="${+d.restricted}" nofailback="${+d.nofailback}"`;
    return `<failoverdomain name="d${i}" ${flags}>${members.join('')}</failoverdomain>`;
  });
  const services = c.services.map((s, i) => {
    const domain =
      s.domain !== undefined && s.domain < c.domains.length ? ` domain="d${s.domain}"` : '';
    return `<service name="s${i}"${domain} exclusive="${+s.exclusive}" autostart="${+s.autostart}"/>`;
  });
  return (
    `<cluster name="p" config_version="1"><clusternodes>${nodes.join('')}</clusternodes><rm>` +
    `<failoverdomains>${domains.join('')}</failoverdomains>${services.join('')}</rm></cluster>`
  );
}

/** Whether the domain allows `node` at all (independently of the scoring code). */
function domainAllows(svc: ServicePolicy, node: string): boolean {
  return !svc.domain?.restricted || svc.domain.priorities.has(node);
}

function activeOn(w: TranscriptWorld, node: string, except: string): ServicePolicy[] {
  return w.config!.services.filter((svc) => {
    const s = serviceState(w.state, svc.id);
    return svc.id !== except && s.owner === node && activeStates.has(s.state);
  });
}

/** A node that may legally take `svc` now: online, allowed, and exclusive rules kept. */
function legalFor(w: TranscriptWorld, svc: ServicePolicy, node: string): boolean {
  if (!w.members.includes(node) || !domainAllows(svc, node)) return false;
  const others = activeOn(w, node, svc.id);
  return svc.exclusive ? others.length === 0 : !others.some((o) => o.exclusive);
}

/** Builds the cluster and replays its events; `check` runs after every step. */
function replay(c: Cluster, check: (w: TranscriptWorld) => void): void {
  const w = new TranscriptWorld();
  w.run('config', configXml(c));
  const online = w.config!.nodes.filter((_, i) => c.online[i]);
  w.run(`members ${online.join(' ')}`, undefined);
  check(w);
  for (const e of c.events) {
    const node = `node${(('node' in e ? e.node : 0) % c.nodeCount) + 1}`;
    if (e.kind === 'fail') w.run(`fail ${node}`, undefined);
    if (e.kind === 'return') w.run(`return ${node}`, undefined);
    if (e.kind === 'relocate') w.run(`request relocate s${e.service}`, undefined);
    check(w);
  }
}

const input = (w: TranscriptWorld) => ({
  config: w.config!,
  members: w.members,
  state: w.state,
  atMs: w.nowMs,
});

describe('placement (property)', () => {
  test('never places a service on an illegal node', () => {
    assertProperty(
      fc.property(arbCluster, (c) =>
        replay(c, (w) => {
          for (const svc of w.config!.services) {
            const s = serviceState(w.state, svc.id);
            if (s.state === 'started') {
              expect(w.members).toContain(s.owner);
              expect(domainAllows(svc, s.owner!)).toBe(true);
            }
            const p = placeService(input(w), svc.id);
            if (p.node !== undefined) expect(legalFor(w, svc, p.node)).toBe(true);
          }
        }),
      ),
      { numRuns: 200 },
    );
  });

  test('never puts an exclusive service together with another', () => {
    assertProperty(
      fc.property(arbCluster, (c) =>
        replay(c, (w) => {
          for (const node of w.config!.nodes) {
            const here = activeOn(w, node, '');
            if (here.some((svc) => svc.exclusive)) expect(here.map((s) => s.id)).toHaveLength(1);
          }
        }),
      ),
      { numRuns: 200 },
    );
  });

  test('is deterministic: same inputs (in any member order), same answer', () => {
    assertProperty(
      fc.property(arbCluster, (c) =>
        replay(c, (w) => {
          const once = placeAll({ ...input(w), memberTransition: true });
          const again = placeAll({ ...input(w), memberTransition: true });
          const reordered = placeAll({
            ...input(w),
            members: [...w.members].reverse(),
            memberTransition: true,
          });
          expect(again).toEqual(once);
          expect(reordered).toEqual(once);
        }),
      ),
      { numRuns: 150 },
    );
  });

  test('relocate without -m leaves the owner whenever another legal node exists', () => {
    assertProperty(
      fc.property(arbCluster, (c) =>
        replay(c, (w) => {
          for (const svc of w.config!.services) {
            const s = serviceState(w.state, svc.id);
            if (s.state !== 'started') continue;
            const other = w.config!.nodes.some((n) => n !== s.owner && legalFor(w, svc, n));
            const outcome = applyRequest(input(w), { kind: 'relocate', service: svc.id });
            if (other) {
              expect(outcome.code).toBe(0);
              expect(outcome.owner).not.toBe(s.owner);
            } else {
              expect(outcome.code).toBe(-17);
              expect(outcome.owner).toBe(s.owner);
            }
          }
        }),
      ),
      { numRuns: 200 },
    );
  });
});
