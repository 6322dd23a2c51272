import type { FakeCluster, FakeClusterOptions } from './fake-cluster.js';

/** A cluster of `nodes` members and `services` services spread evenly, named in order. */
export function scaleClusterOptions(nodes: number, services: number): FakeClusterOptions {
  const names = Array.from({ length: nodes }, (_, i) => `node${i + 1}`);
  const width = String(services).length;
  return {
    clusterName: 'scalecluster',
    nodes: names,
    subnet: '198.51.100',
    services: Object.fromEntries(
      Array.from({ length: services }, (_, i) => [
        `service:svc${String(i + 1).padStart(width, '0')}`,
        names[i % nodes]!,
      ]),
    ),
  };
}

/** mulberry32: a small seeded generator, so a stream's changes repeat from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A simulated agent stream for benchmarks: every `intervalMs` one service (chosen by a seeded
 * generator) moves to another online member, and the fake cluster pushes the whole status on
 * its links, as the agents push a status on each change.
 */
export class StatusStream {
  private timer: NodeJS.Timeout | null = null;
  private readonly random: () => number;
  changes = 0;
  /** Services the random steps leave alone (a benchmark moves them itself, to time them). */
  readonly reserved = new Set<string>();

  constructor(
    private readonly cluster: FakeCluster,
    readonly seed: number,
  ) {
    this.random = seeded(seed);
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.step(), intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Moves one random service; returns its id and its new owner. */
  step(): { service: string; owner: string } {
    const services = this.cluster.status.services.filter((s) => !this.reserved.has(s.id));
    const service = services[Math.floor(this.random() * services.length)]!;
    return this.move(service.id);
  }

  /** Moves `serviceId` to the next online member; returns when (epoch ms) the push went out. */
  move(serviceId: string): { service: string; owner: string; pushedAtMs: number } {
    const online = this.cluster.status.members.filter((m) => m.online).map((m) => m.name);
    const current = this.cluster.status.services.find((s) => s.id === serviceId);
    if (!current) throw new Error(`no service ${serviceId} in the stream's cluster`);
    const next = online[(online.indexOf(current.owner ?? '') + 1) % online.length]!;
    const pushedAtMs = Date.now();
    this.cluster.update((status) => ({
      ...status,
      services: status.services.map((s) =>
        s.id === serviceId
          ? { ...s, owner: next, lastOwner: s.owner, lastTransitionMs: pushedAtMs }
          : s,
      ),
    }));
    this.changes++;
    return { service: serviceId, owner: next, pushedAtMs };
  }
}
