// Reads `meta-data` from agents installed on this node, so the console can build its forms
// from what really runs here: every OCF agent under $OCF_ROOT/resource.d and the built-ins.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentMetadata, parseAgentMetadata } from '@quorate/core';
import { builtinAgentTypes, locateResourceAgent } from './agent-locations.js';
import type { FenceAgentRunner, FenceResult } from './fence-agent-runner.js';
import { MetadataCache } from './metadata-cache.js';
import { describeOcfOutcome, isOcfSuccess } from './ocf-outcome.js';
import type { ResourceAgentRunner } from './resource-agent-runner.js';

export interface MetadataFailure {
  readonly type: string;
  readonly message: string;
}

export interface DiscoveredAgents {
  readonly agents: readonly AgentMetadata[];
  readonly failures: readonly MetadataFailure[];
}

export interface DiscoveryOptions {
  /** Which `ocf:PROVIDER:TYPE` agents to read; all by default. */
  readonly include?: (type: string) => boolean;
  /**
   * meta-data runs at once; default 2. A host has ~160 agents, mostly shell scripts: eight at
   * once starved the agent's own timers on a loaded two-core host and it missed its token.
   */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** Answers kept from an earlier run, by agent file; the caller saves it afterwards. */
  readonly cache?: MetadataCache;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** fence-agents' tool for acknowledging a manual fence, not an agent. */
const NOT_FENCE_AGENTS = new Set(['fence_ack_manual']);

/** Every `fence_*` executable in the runner's folders, by name (the first folder wins). */
export function listInstalledFenceAgents(dirs: readonly string[]): string[] {
  const names = dirs.flatMap((dir) =>
    listDir(dir).filter(
      (name) => /^fence_[A-Za-z0-9_-]+$/.test(name) && isExecutableFile(join(dir, name)),
    ),
  );
  return [...new Set(names)].filter((name) => !NOT_FENCE_AGENTS.has(name)).sort();
}

/** `ocf:PROVIDER:TYPE` for every executable under $OCF_ROOT/resource.d. */
export function listInstalledOcfAgents(ocfRoot: string): string[] {
  const base = join(ocfRoot, 'resource.d');
  return listDir(base).flatMap((provider) =>
    listDir(join(base, provider))
      .filter((name) => !name.startsWith('.') && isExecutableFile(join(base, provider, name)))
      .map((name) => `ocf:${provider}:${name}`),
  );
}

async function readOne(
  runner: ResourceAgentRunner,
  type: string,
  timeoutMs: number,
): Promise<AgentMetadata | MetadataFailure> {
  const op = { type, action: 'meta-data', attributes: {}, timeoutMs, background: true };
  const result = await runner.run(op);
  if (!isOcfSuccess(result.outcome)) {
    return { type, message: `meta-data: ${describeOcfOutcome(result.outcome)}` };
  }
  try {
    return parseAgentMetadata(result.stdout, { type });
  } catch (error) {
    return { type, message: error instanceof Error ? error.message : String(error) };
  }
}

async function readFenceOne(
  runner: FenceAgentRunner,
  agent: string,
  timeoutMs: number,
): Promise<AgentMetadata | MetadataFailure> {
  const op = { agent, action: 'metadata', device: {}, timeoutMs, background: true } as const;
  const result = await runner.run(op);
  if (result.outcome.kind !== 'success') {
    return { type: agent, message: `metadata: ${describeFenceOutcome(result.outcome)}` };
  }
  try {
    return parseAgentMetadata(result.stdout, { type: agent });
  } catch (error) {
    return { type: agent, message: error instanceof Error ? error.message : String(error) };
  }
}

function describeFenceOutcome(outcome: FenceResult['outcome']): string {
  switch (outcome.kind) {
    case 'failed':
      return `exit code ${outcome.code}`;
    case 'timeout':
      return `no answer within ${outcome.timeoutMs} ms`;
    case 'signal':
      return `ended by ${outcome.signal}`;
    case 'not-started':
      return outcome.message;
    default:
      return outcome.kind;
  }
}

/**
 * Runs `read` for each item, `concurrency` at a time, keeping the input order; an item whose
 * agent file (`pathOf`) is unchanged since the cache's last run is not read again.
 */
async function readAll(
  items: readonly string[],
  read: (item: string) => Promise<AgentMetadata | MetadataFailure>,
  options: DiscoveryOptions,
  pathOf: (item: string) => string | undefined,
): Promise<DiscoveredAgents> {
  const cache = options.cache ?? new MetadataCache(undefined);
  const results: Array<AgentMetadata | MetadataFailure> = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      const path = pathOf(item);
      const fingerprint = path === undefined ? undefined : MetadataCache.fingerprint(item, path);
      results[index] = await cache.answer(fingerprint, () => read(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  const agents: AgentMetadata[] = [];
  const failures: MetadataFailure[] = [];
  for (const r of results) {
    if ('message' in r) failures.push(r);
    else agents.push(r);
  }
  return { agents, failures };
}

/** Runs `meta-data` for each type, `concurrency` at a time, keeping the input order. */
export function readAgentMetadata(
  runner: ResourceAgentRunner,
  types: readonly string[],
  options: DiscoveryOptions = {},
): Promise<DiscoveredAgents> {
  const { timeoutMs = 5_000 } = options;
  const pathOf = (type: string) => {
    const located = locateResourceAgent(type, runner);
    return 'error' in located ? undefined : located.path;
  };
  return readAll(types, (type) => readOne(runner, type, timeoutMs), options, pathOf);
}

/** Every installed fence agent's `metadata` (fence_* in the runner's folders). */
export function discoverFenceAgents(
  runner: FenceAgentRunner,
  options: DiscoveryOptions = {},
): Promise<DiscoveredAgents> {
  const { timeoutMs = 10_000 } = options;
  const include = options.include ?? (() => true);
  const agents = listInstalledFenceAgents(runner.agentDirs).filter(include);
  const pathOf = (agent: string) => {
    const located = runner.locate(agent);
    return 'error' in located ? undefined : located.path;
  };
  return readAll(agents, (agent) => readFenceOne(runner, agent, timeoutMs), options, pathOf);
}

/** The built-ins and every installed OCF agent (filtered by `include`), as the console lists them. */
export function discoverAgents(
  runner: ResourceAgentRunner,
  options: DiscoveryOptions = {},
): Promise<DiscoveredAgents> {
  const include = options.include ?? (() => true);
  const installed = listInstalledOcfAgents(runner.ocfRoot).filter(include);
  return readAgentMetadata(runner, [...builtinAgentTypes, ...installed], options);
}
