import { type ClusterConf, fenceMethodsOf, parseClusterConf } from '@quorate/core';
import type { ConsoleEvent } from '@quorate/protocol';
import type { StatusEvent } from '../live/status-events.js';

export type FenceConsoleEvent = Extract<ConsoleEvent, { kind: 'fence' }>;

/**
 * Where a fence attempt stands among the victim's fence levels: cluster.conf's `<method>`s of
 * that node in document order (fenced tries them in that order), counted from 1.
 */
export interface FenceLevel {
  readonly level: number;
  readonly method: string;
  /** The method's devices, in the order they run: every one must succeed. */
  readonly devices: readonly string[];
}

/** The committed cluster.conf a link last read, parsed once per version. */
export interface FenceConfig {
  readonly version: number;
  readonly conf: ClusterConf;
}

export function fenceConfigOf(version: number, text: string): FenceConfig {
  return { version, conf: parseClusterConf(text) };
}

/** The level `method` is for `victim`, or null when the configuration does not name it. */
export function fenceLevelOf(
  config: FenceConfig | null,
  victim: string,
  method: string,
): FenceLevel | null {
  if (config === null || method === '') return null;
  const methods = fenceMethodsOf(config.conf, victim);
  const index = methods.findIndex((candidate) => candidate.name === method);
  if (index < 0) return null;
  const devices = methods[index]!.devices.map((device) => device.device);
  return { level: index + 1, method, devices };
}

function describeLevel(event: FenceConsoleEvent, level: FenceLevel | null): string {
  if (level === null) return `fence method ${event.method}`;
  const noun = level.devices.length === 1 ? 'device' : 'devices';
  const devices = level.devices.length === 0 ? 'no devices' : `${noun} ${level.devices.join(', ')}`;
  return `fence level ${level.level} (method ${level.method}, ${devices})`;
}

/**
 * One fence attempt's outcome as the console's event history words it, naming the level, its
 * devices and the outcome; null for `started` (its outcome follows, and the history keeps few).
 */
export function fenceAttemptMessage(
  event: FenceConsoleEvent,
  level: FenceLevel | null,
): string | null {
  const victim = event.victim;
  switch (event.outcome) {
    case 'started':
      return null;
    case 'failed':
      return `${victim}: ${describeLevel(event, level)} failed`;
    case 'succeeded':
      return `${victim}: ${describeLevel(event, level)} succeeded`;
    case 'waiting-ack':
      return `${victim}: ${describeLevel(event, level)} waits for an operator: run fence_ack_manual ${victim} once it is off`;
    case 'settling':
      return `${victim}: fenced by a device that leaves it running; recovery waits out its lease`;
  }
}

/** What the console's event history records of an agent's pushed event: fence outcomes only. */
export function fenceAttemptEvents(event: ConsoleEvent, level: FenceLevel | null): StatusEvent[] {
  if (event.kind !== 'fence') return [];
  const message = fenceAttemptMessage(event, level);
  return message === null ? [] : [{ kind: 'fence', subject: event.victim, message }];
}
