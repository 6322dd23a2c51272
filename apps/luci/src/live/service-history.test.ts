import type { ClusterEventKind } from '@quorate/protocol';
import { describe, expect, it } from 'vitest';
import type { EventDetail } from './event-detail.js';
import type { RecordedEvent } from './event-history.js';
import { serviceHistory } from './service-history.js';

const web = 'service:webservice';
let nextId = 1;
const event = (
  atS: number,
  kind: ClusterEventKind,
  subject: string,
  detail: EventDetail,
): RecordedEvent => ({ id: nextId++, at: atS * 1000, kind, subject, message: '', detail });
const service = (atS: number, state: string, owner: string | null, previousOwner?: string) =>
  event(atS, 'service', web, { state, owner, ...(previousOwner && { previousOwner }) });
const offline = (atS: number, node: string) => event(atS, 'member', node, { online: false });

describe('a service history', () => {
  it('times a failover from the owner’s loss to the start elsewhere', () => {
    const history = serviceHistory(
      web,
      [
        service(10, 'started', 'node2'),
        offline(20, 'node2'),
        service(21, 'recovering', null, 'node2'),
        service(23.5, 'started', 'node3'),
      ],
      null,
    );
    expect(history.failovers).toEqual([
      {
        from: 'node2',
        to: 'node3',
        cause: 'owner-lost',
        troubleAt: new Date(20_000).toISOString(),
        startedAt: new Date(23_500).toISOString(),
        durationMs: 3500,
      },
    ]);
    expect(history.spans.map((s) => [s.state, s.node, s.to !== null])).toEqual([
      ['started', 'node2', true],
      ['recovering', null, true],
      ['started', 'node3', false],
    ]);
  });

  it('counts neither a restart in place nor a stop as a failover', () => {
    const history = serviceHistory(
      web,
      [
        service(1, 'started', 'node1'),
        service(2, 'failed', 'node1'),
        service(3, 'started', 'node1'),
        service(4, 'failed', 'node1'),
        service(5, 'disabled', null, 'node1'),
        service(6, 'started', 'node2'),
      ],
      null,
    );
    expect(history.failovers).toEqual([]);
    expect(history.relocations).toBe(0);
  });

  it('counts a move through stopping as a relocation', () => {
    const history = serviceHistory(
      web,
      [
        service(1, 'started', 'node1'),
        service(2, 'stopping', 'node1'),
        service(3, 'started', 'node2', 'node1'),
      ],
      null,
    );
    expect(history).toMatchObject({ failovers: [], relocations: 1 });
  });

  it('ignores a member lost while the service ran elsewhere', () => {
    const history = serviceHistory(
      web,
      [
        service(1, 'started', 'node1'),
        offline(2, 'node3'),
        service(3, 'failed', 'node1'),
        service(4, 'started', 'node2'),
      ],
      null,
    );
    expect(history.failovers).toMatchObject([{ from: 'node1', cause: 'service-failed' }]);
  });
});
