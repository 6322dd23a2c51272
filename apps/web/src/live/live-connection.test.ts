import { describe, expect, it, vi } from 'vitest';
import {
  LiveConnection,
  type LiveEnvironment,
  type LiveSocket,
  type LiveSocketHandlers,
} from './live-connection.js';

class FakeSocket implements LiveSocket {
  closed = false;
  constructor(private readonly handlers: LiveSocketHandlers) {}
  close() {
    this.closed = true;
  }
  open() {
    this.handlers.open();
  }
  drop() {
    this.handlers.close();
  }
  push(message: unknown) {
    this.handlers.message(JSON.stringify(message));
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { task: () => void; delayMs: number }[] = [];
  const frames: (() => void)[] = [];
  let now = 1000;
  const environment: LiveEnvironment = {
    openSocket: (_url, handlers) => {
      const socket = new FakeSocket(handlers);
      sockets.push(socket);
      return socket;
    },
    later: (task, delayMs) => {
      const timer = { task, delayMs };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    beforePaint: (task) => frames.push(task),
    now: () => now,
  };
  const connection = new LiveConnection('wss://console/api/live', environment);
  let renders = 0;
  connection.subscribe(() => renders++);
  return {
    connection,
    sockets,
    timers,
    paint: () => {
      for (const frame of frames.splice(0)) frame();
    },
    renders: () => renders,
    advanceTo: (time: number) => {
      now = time;
    },
  };
}

const cluster = {
  name: 'alpha',
  addedAt: '2026-11-27T08:00:00.000Z',
  nodeCount: 3,
  myRoles: ['view' as const],
  link: { state: 'unavailable' as const, since: null },
  health: null,
  lastEvent: null,
};

describe('LiveConnection', () => {
  it('keeps the pushed cluster list and renders a burst of pushes once per frame', () => {
    const h = harness();
    h.connection.start();
    h.sockets[0]!.open();
    h.sockets[0]!.push({ type: 'clusters', clusters: [] });
    h.sockets[0]!.push({ type: 'clusters', clusters: [cluster] });
    h.paint();
    expect(h.renders()).toBe(1);
    expect(h.connection.getSnapshot()).toMatchObject({
      status: 'open',
      clusters: [cluster],
      staleSince: null,
    });
  });

  it('keeps each cluster’s pushed status until the cluster leaves the list', () => {
    const h = harness();
    h.connection.start();
    h.sockets[0]!.open();
    const view = {
      name: 'alpha',
      myRoles: ['view'],
      link: { state: 'lost', since: '2026-11-27T08:00:00.000Z' },
      status: null,
      events: [],
    };
    h.sockets[0]!.push({ type: 'clusters', clusters: [cluster] });
    h.sockets[0]!.push({ type: 'cluster-status', cluster: view });
    expect(h.connection.getSnapshot().statuses).toEqual({ alpha: view });
    h.sockets[0]!.push({ type: 'clusters', clusters: [] });
    expect(h.connection.getSnapshot().statuses).toEqual({});
  });

  it('validates only the newest status of a cluster pushed within one frame', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = harness();
    h.connection.start();
    h.sockets[0]!.open();
    h.sockets[0]!.push({ type: 'clusters', clusters: [cluster] });
    const view = (since: string) => ({
      name: 'alpha',
      myRoles: ['view'],
      link: { state: 'lost', since },
      status: null,
      events: [],
    });
    h.sockets[0]!.push({ type: 'cluster-status', cluster: { name: 'alpha', broken: true } });
    h.sockets[0]!.push({ type: 'cluster-status', cluster: view('2026-11-27T08:00:01.000Z') });
    h.sockets[0]!.push({ type: 'cluster-status', cluster: view('2026-11-27T08:00:02.000Z') });
    h.paint();
    expect(h.renders()).toBe(1);
    expect(h.connection.getSnapshot().statuses).toEqual({
      alpha: view('2026-11-27T08:00:02.000Z'),
    });
    expect(warn).not.toHaveBeenCalled();
    h.sockets[0]!.push({ type: 'cluster-status', cluster: { name: 'alpha', broken: true } });
    h.paint();
    expect(h.connection.getSnapshot().statuses.alpha).toEqual(view('2026-11-27T08:00:02.000Z'));
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('ignores a message that does not match the protocol', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = harness();
    h.connection.start();
    h.sockets[0]!.push({ type: 'clusters', clusters: [{ name: 'no other fields' }] });
    expect(h.connection.getSnapshot().clusters).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('says since when it is stale and reconnects with growing delays', () => {
    const h = harness();
    h.connection.start();
    h.sockets[0]!.open();
    h.advanceTo(5000);
    h.sockets[0]!.drop();
    expect(h.connection.getSnapshot()).toMatchObject({ status: 'closed', staleSince: 5000 });
    expect(h.timers.map((t) => t.delayMs)).toEqual([500]);
    h.timers.shift()!.task();
    h.sockets[1]!.drop();
    expect(h.timers.map((t) => t.delayMs)).toEqual([1000]);
    expect(h.connection.getSnapshot().staleSince).toBe(5000);
    h.timers.shift()!.task();
    h.sockets[2]!.open();
    expect(h.connection.getSnapshot()).toMatchObject({ status: 'open', staleSince: null });
  });

  it('stops for good when the server ends the session', () => {
    const h = harness();
    h.connection.start();
    h.sockets[0]!.open();
    h.sockets[0]!.push({ type: 'session-ended', reason: 'expired' });
    h.sockets[0]!.drop();
    expect(h.connection.getSnapshot()).toMatchObject({ status: 'closed', sessionEnded: 'expired' });
    expect(h.sockets[0]!.closed).toBe(true);
    expect(h.timers).toEqual([]);
  });
});
