import {
  type AgentCatalog,
  builtinAgentCatalog,
  catalogFromWire,
  type FenceAgentInfo,
  fenceAgentCatalog,
  fenceCatalogWith,
  metadataFromWire,
} from '@quorate/core';
import type { ClusterLink } from '../cluster-link/cluster-link.js';

/** The agents' meta-data as forms and validation use it, and what could not be read. */
export interface AgentForms {
  readonly catalog: AgentCatalog;
  /** Fence agents the nodes have, from their metadata; the built-in ones where none came. */
  readonly fenceCatalog: ReadonlyMap<string, FenceAgentInfo>;
  readonly failures: readonly { readonly type: string; readonly message: string }[];
}

interface MetadataEntry {
  readonly atMs: number;
  readonly forms: Promise<AgentForms>;
  ok: boolean | null;
}

/**
 * The agents' meta-data is read once per link and reused: an agent's first `metadata` runs
 * `meta-data` of every installed agent (hundreds where resource-agents is installed, seconds of
 * work), which no form should wait for twice. A failure falls back to the built-in types and is
 * asked again after a while.
 */
const metadataFreshMs = 10 * 60_000;
const metadataRetryMs = 2 * 60_000;
const metadataTimeoutMs = 30_000;
const metadataByLink = new WeakMap<ClusterLink, MetadataEntry>();

function readAgentForms(cluster: string, link: ClusterLink, nowMs: number): MetadataEntry {
  const entry: MetadataEntry = {
    atMs: nowMs,
    ok: null,
    forms: withTimeout(link.metadata(), metadataTimeoutMs).then(
      (info) => {
        entry.ok = true;
        const fence = (info.fenceAgents ?? []).map(metadataFromWire);
        return {
          catalog: catalogFromWire(info.resourceAgents),
          fenceCatalog: fenceCatalogWith(fence),
          failures: [...info.failures],
        };
      },
      (error: unknown) => {
        entry.ok = false;
        const why = error instanceof Error ? error.message : String(error);
        return {
          catalog: builtinAgentCatalog,
          fenceCatalog: fenceAgentCatalog,
          failures: [
            {
              type: '*',
              message: `the agents of cluster "${cluster}" did not describe their resource agents (${why}): the forms show the built-in types`,
            },
          ],
        };
      },
    ),
  };
  return entry;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The cached meta-data, read again when it is old or an earlier read failed a while ago. */
export function agentForms(cluster: string, link: ClusterLink, nowMs: number): Promise<AgentForms> {
  const cached = metadataByLink.get(link);
  const keepMs = cached?.ok === false ? metadataRetryMs : metadataFreshMs;
  if (cached && (cached.ok === null || nowMs - cached.atMs < keepMs)) return cached.forms;
  const entry = readAgentForms(cluster, link, nowMs);
  metadataByLink.set(link, entry);
  return entry.forms;
}
