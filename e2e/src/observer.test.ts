import { describe, expect, it } from 'vitest';
import { holdersIn, type ObservedHost, type ObserverRound, sharedHoldings } from './observer.js';

const vip = '10.231.0.100';
const holds = (host: ObservedHost) => host.floating.includes(vip);

/** A round at `atMs` where the named hosts hold the address and the others do not. */
function round(atMs: number, holders: string[]): ObserverRound {
  const hosts = new Map<string, ObservedHost>();
  for (const name of ['node1', 'node2', 'node3']) {
    hosts.set(name, { floating: holders.includes(name) ? [vip] : [], mounts: [] });
  }
  return { startedAtMs: atMs, endedAtMs: atMs + 5, hosts };
}

describe("the observer's verdicts", () => {
  it('names the holders of a round', () => {
    expect(holdersIn(round(0, ['node2']), holds)).toEqual(['node2']);
    expect(holdersIn(round(0, []), holds)).toEqual([]);
  });

  it('reports two holders only when the next round shows both again', () => {
    // A move caught half-way in one round (node1 read before its stop, node2 after its start).
    const move = [round(0, ['node1']), round(100, ['node1', 'node2']), round(200, ['node2'])];
    expect(sharedHoldings(move, holds)).toEqual([]);
    const shared = [
      round(0, ['node1']),
      round(100, ['node1', 'node2']),
      round(200, ['node1', 'node2', 'node3']),
    ];
    expect(sharedHoldings(shared, holds)).toEqual([
      { startedAtMs: 100, holders: ['node1', 'node2'] },
    ]);
  });
});
