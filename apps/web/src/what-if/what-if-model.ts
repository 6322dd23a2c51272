import {
  parseClusterConf,
  type ResourceManagerState,
  type RmConfig,
  readRmConfig,
  type ServiceState,
  type WhatIfResult,
  whatIf,
} from '@quorate/core';
import type { ClusterStatus, ServiceStatus } from '@quorate/protocol';

/** A relocation the administrator wants to try: `clusvcadm -r service -m target`. */
export interface PlannedMove {
  readonly service: string;
  readonly target: string;
}

export interface WhatIfScenario {
  readonly failNodes: readonly string[];
  readonly moves: readonly PlannedMove[];
}

/** The committed cluster.conf read as the resource manager reads it. */
export function rmConfigOf(text: string): RmConfig {
  return readRmConfig(parseClusterConf(text));
}

function serviceStateOf(service: ServiceStatus): ServiceState {
  return {
    id: service.id,
    state: service.state,
    owner: service.owner ?? undefined,
    lastOwner: service.lastOwner ?? undefined,
    // The status carries no restart history: a prediction counts restarts from none.
    restartTimesMs: [],
    frozen: service.frozen,
    partial: service.partial,
    lastTransitionMs: service.lastTransitionMs,
    pending: undefined,
  };
}

/** The resource manager's state as the agents' status shows it (owner and state per service). */
export function rmStateOf(status: ClusterStatus): ResourceManagerState {
  const services: Record<string, ServiceState> = {};
  for (const service of status.services) services[service.id] = serviceStateOf(service);
  return { services, locked: status.resourceManager.locked };
}

export function onlineMembers(status: ClusterStatus): string[] {
  return status.members.filter((m) => m.online).map((m) => m.name);
}

export interface WhatIfRow {
  readonly service: string;
  readonly before: string;
  readonly after: string;
  readonly moved: boolean;
  /** Ran before and does not run after: the administrator should know first. */
  readonly leftStopped: boolean;
  readonly reason: string;
}

const where = (s: { state: string; owner: string | undefined }) =>
  s.owner === undefined ? s.state : `${s.state} on ${s.owner}`;

/** Runs the core's `whatIf` for the scenario on the live status, without touching the cluster. */
export function predict(
  config: RmConfig,
  status: ClusterStatus,
  scenario: WhatIfScenario,
): { result: WhatIfResult; rows: WhatIfRow[] } {
  const result = whatIf({
    config,
    members: onlineMembers(status),
    state: rmStateOf(status),
    failNodes: scenario.failNodes,
    moves: scenario.moves,
    atMs: Date.now(),
  });
  const rows = result.services.map((s) => {
    const running = (state: string) => state === 'started' || state === 'starting';
    return {
      service: s.service,
      before: where(s.before),
      after: where(s.after),
      moved: s.before.owner !== s.after.owner || s.before.state !== s.after.state,
      leftStopped: running(s.before.state) && !running(s.after.state),
      reason: s.reason ?? 'nothing changes for it',
    };
  });
  return { result, rows };
}
