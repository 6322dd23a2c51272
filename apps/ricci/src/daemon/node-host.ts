import type { ClusterNode, NodeStatus, ObserverEvent, PeerMessage, Ready } from '@quorate/core';
import type { DurableLog } from '../storage/durable-log.js';
import type { SnapshotToStore } from '../storage/log-image.js';
import type { JsonLog } from './json-log.js';

/** Where the host sends the core's messages; the peer transport in the daemon. */
export interface MessageSink {
  send(message: PeerMessage): boolean;
}

/**
 * Drives one `ClusterNode` (DESIGN.md §2): feeds it ticks and peer messages, and carries out
 * each `ready()` in the order it demands — persist and fsync, then send, then publish —
 * before calling `advance()`. Inputs that arrive in one turn of the event loop share one
 * fsync.
 */
export class NodeHost {
  private drainScheduled = false;
  private stopped = false;

  constructor(
    private readonly node: ClusterNode,
    private readonly storage: DurableLog,
    private readonly sink: MessageSink,
    private readonly log: JsonLog,
  ) {}

  status(): NodeStatus {
    return this.node.status();
  }

  tick(count: number): void {
    if (this.stopped) return;
    for (let i = 0; i < count; i++) this.node.tick();
    if (count > 2) this.log('warn', 'clock-stall', { missedTicks: count - 1 });
    this.scheduleDrain();
  }

  receive(message: PeerMessage): void {
    if (this.stopped) return;
    this.node.step(message);
    this.scheduleDrain();
  }

  /** Carries out everything the core asked for so far, synchronously. */
  drain(): void {
    // Each round may produce more work (a send that fails changes nothing, but applying may).
    for (let round = 0; round < 16 && !this.stopped; round++) {
      const ready = this.node.ready();
      if (isEmpty(ready)) return;
      this.storage.append(ready.persist, snapshotToStore(ready));
      for (const message of ready.messages) this.sink.send(message);
      for (const event of ready.events) this.publish(event);
      this.node.advance(ready);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private publish(event: ObserverEvent): void {
    if (event.type === 'entry-committed') {
      const { index, term, kind } = event.entry;
      this.log('debug', 'entry-committed', { index, term, kind });
      return;
    }
    const { type, ...fields } = event;
    this.log('info', type, fields);
  }
}

function isEmpty(ready: Ready): boolean {
  return (
    ready.persist.length === 0 &&
    ready.messages.length === 0 &&
    ready.committed.length === 0 &&
    ready.events.length === 0 &&
    snapshotToStore(ready) === null
  );
}

/**
 * The snapshot a `ready()` asks to store, if its core has snapshots (issue 4 adds them);
 * read structurally so this host works with the core before and after.
 */
function snapshotToStore(ready: Ready): SnapshotToStore | null {
  return (ready as { readonly storeSnapshot?: SnapshotToStore | null }).storeSnapshot ?? null;
}
