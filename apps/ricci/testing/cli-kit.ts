// The RHCS commands' test kit: a real control socket whose provider is plain data (the seed
// walkthrough's three nodes seen from node2), and a way to run a command in-process against it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo, RunOptions } from '@quorate/cli';
import {
  NOT_QUORATE_MESSAGE,
  type RmRequest,
  rgResults,
  versionNotGreaterMessage,
} from '@quorate/core';
import type {
  ClusterStatus,
  CommittedConfig,
  ControlAction,
  ControlResult,
  MemberStatus,
} from '@quorate/protocol';
import { onTestFinished } from 'vitest';
import type { ControlProvider } from '../src/control/control-provider.js';
import { serveControlSocket } from '../src/control/control-server.js';

export const nowMs = Date.UTC(2015, 11, 10, 17, 58, 33);
export const clock = { nowMs: () => nowMs, utcOffsetMinutes: () => 0 };

export function seedMember(id: number): MemberStatus {
  return {
    name: `node${id}.magedu.com`,
    nodeId: id,
    votes: 1,
    online: true,
    local: id === 2,
    estranged: false,
    rgmanager: true,
    incarnation: 1,
    joinedMs: nowMs - 60_000,
    addresses: [`192.168.41.${130 + id}`],
  };
}

export function seedConf(version: number): string {
  const nodes = [1, 2, 3]
    .map(
      (id) =>
        `    <clusternode name="node${id}.magedu.com" votes="1" nodeid="${id}">` +
        '<fence><method name="single"><device name="meatware"/></method></fence></clusternode>',
    )
    .join('\n');
  return `<?xml version="1.0"?>
<cluster name="tcluster" config_version="${version}">
  <clusternodes>
${nodes}
  </clusternodes>
  <fencedevices>
    <fencedevice name="meatware" agent="fence_manual"/>
  </fencedevices>
  <rm>
    <failoverdomains/>
    <resources/>
  </rm>
</cluster>
`;
}

/** A cluster as plain data that answers requests the simple way an rgmanager would. */
export class PlainCluster implements ControlProvider {
  readonly requests: ControlAction[] = [];
  statusCalls = 0;
  /** Answers a request instead of the plain rules when it returns a result. */
  override: ((action: ControlAction) => ControlResult | undefined) | undefined;
  state: ClusterStatus = {
    cluster: {
      name: 'tcluster',
      id: 22265,
      generation: 3,
      configVersion: 5,
      agentVersion: '6.2.0',
      twoNode: false,
    },
    quorum: {
      quorate: true,
      totalVotes: 3,
      expectedVotes: 3,
      quorum: 2,
      leader: 'node1.magedu.com',
    },
    local: { name: 'node2.magedu.com', nodeId: 2, votes: 1, membership: 'member', addresses: [] },
    members: [seedMember(1), seedMember(2), seedMember(3)],
    resourceManager: { running: true, locked: false },
    services: [
      {
        id: 'service:webservice',
        state: 'started',
        owner: 'node3.magedu.com',
        lastOwner: null,
        frozen: false,
        partial: false,
        restarts: 0,
        lastTransitionMs: nowMs,
      },
    ],
  };

  /** The committed cluster.conf: the seed's after its five ccs_tool steps. */
  committed: CommittedConfig | null = { version: 5, text: seedConf(5) };

  status(): ClusterStatus {
    this.statusCalls++;
    return structuredClone(this.state);
  }

  clusterConf(): CommittedConfig | null {
    return this.committed;
  }

  async request(action: ControlAction): Promise<ControlResult> {
    this.requests.push(action);
    const answer = this.override?.(action);
    if (answer) return answer;
    switch (action.type) {
      case 'rm':
        return this.rm(action.request);
      case 'node':
        return { type: 'node', ok: true, message: '' };
      case 'fence-ack': {
        const live = this.state.members.some((m) => m.name === action.node && m.online);
        return live
          ? { type: 'fence-ack', ok: false, message: `${action.node} is a cluster member` }
          : { type: 'fence-ack', ok: true, message: '' };
      }
      case 'config-update':
        return this.configUpdate(action.text);
    }
  }

  private rm(request: RmRequest): ControlResult {
    const rm = this.state.resourceManager;
    const ok = (owner: string | null = null) => ({
      type: 'rm' as const,
      ...rgResults.success,
      owner,
    });
    if (request.kind === 'lock' || request.kind === 'unlock') {
      rm.locked = request.kind === 'lock';
      return ok();
    }
    if (!('service' in request)) return { ...ok(), locked: rm.locked };
    const svc = this.state.services.find((s) => s.id === request.service);
    if (!svc) return { type: 'rm', ...rgResults.noService, owner: null };
    if (request.kind !== 'relocate' && request.kind !== 'enable') return ok(svc.owner);
    if (rm.locked) return { type: 'rm', ...rgResults.failure, owner: svc.owner };
    const target =
      request.target ??
      this.state.members.find((m) => m.online && m.name !== svc.owner)?.name ??
      null;
    svc.lastOwner = svc.owner;
    svc.owner = target;
    return ok(target);
  }

  private configUpdate(text: string): ControlResult {
    const version = Number(/config_version="(\d+)"/.exec(text)?.[1] ?? 0);
    const current = this.state.cluster.configVersion;
    if (!this.state.quorum.quorate) {
      return {
        type: 'config-update',
        accepted: false,
        rule: 'not-quorate',
        message: NOT_QUORATE_MESSAGE,
      };
    }
    if (version <= current) {
      const message = versionNotGreaterMessage(current, version);
      return { type: 'config-update', accepted: false, rule: 'version-not-greater', message };
    }
    this.state.cluster.configVersion = version;
    this.committed = { version, text };
    return { type: 'config-update', accepted: true, previousVersion: current, version };
  }
}

export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quorate-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function agent() {
  const dir = scratch();
  const cluster = new PlainCluster();
  const server = await serveControlSocket({ path: join(dir, 'ricci.sock'), provider: cluster });
  onTestFinished(() => server.close());
  const env = { QUORATE_SOCKET: server.path, QUORATE_CONFIG_DIR: dir };
  return { cluster, env, dir };
}

export type Command = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CommandIo,
  run?: RunOptions,
) => Promise<number>;

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

export async function run(
  command: Command,
  env: Record<string, string>,
  argv: string[],
  extra: { answer?: string | null; signal?: AbortSignal; onStdout?: (text: string) => void } = {},
): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (t) => {
      stdout += t;
      extra.onStdout?.(t);
    },
    stderr: (t) => {
      stderr += t;
    },
    readLine: async (prompt) => {
      stdout += prompt;
      return extra.answer ?? null;
    },
  };
  const options: RunOptions = { clock, ...(extra.signal ? { signal: extra.signal } : {}) };
  const status = await command(argv, env, io, options);
  return { status, stdout, stderr };
}
