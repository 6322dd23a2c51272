import { clusterfsMetadataXml } from './builtin/clusterfs.js';
import { fsMetadataXml } from './builtin/fs.js';
import { ipMetadataXml } from './builtin/ip.js';
import { lvmMetadataXml } from './builtin/lvm.js';
import { netfsMetadataXml } from './builtin/netfs.js';
import { nfsclientMetadataXml } from './builtin/nfsclient.js';
import { nfsexportMetadataXml } from './builtin/nfsexport.js';
import { scriptMetadataXml } from './builtin/script.js';
import { serviceMetadataXml } from './builtin/service.js';
import { smbMetadataXml } from './builtin/smb.js';
import { vmMetadataXml } from './builtin/vm.js';
import type { AgentCatalog, AgentMetadata } from './model.js';
import { parseAgentMetadata } from './parse.js';

/** The meta-data text of every built-in rgmanager type, as the agents print it. */
export const builtinMetadataXml: Readonly<Record<string, string>> = {
  service: serviceMetadataXml,
  vm: vmMetadataXml,
  ip: ipMetadataXml,
  script: scriptMetadataXml,
  fs: fsMetadataXml,
  clusterfs: clusterfsMetadataXml,
  netfs: netfsMetadataXml,
  nfsexport: nfsexportMetadataXml,
  nfsclient: nfsclientMetadataXml,
  lvm: lvmMetadataXml,
  smb: smbMetadataXml,
};

function parseBuiltins(): Map<string, AgentMetadata> {
  const out = new Map<string, AgentMetadata>();
  for (const [type, xml] of Object.entries(builtinMetadataXml)) {
    out.set(type, parseAgentMetadata(xml, { type }));
  }
  return out;
}

/**
 * A catalog parsed on first use rather than when the module loads: parsing every built-in type
 * costs ~80 ms, which every program importing the core paid at start (`clustat`, `ricci`) whether
 * it looked at agent meta-data or not.
 */
class LazyCatalog implements ReadonlyMap<string, AgentMetadata> {
  private parsed: Map<string, AgentMetadata> | undefined;

  private get map(): Map<string, AgentMetadata> {
    this.parsed ??= parseBuiltins();
    return this.parsed;
  }

  get size(): number {
    return this.map.size;
  }

  get(type: string): AgentMetadata | undefined {
    return this.map.get(type);
  }

  has(type: string): boolean {
    return this.map.has(type);
  }

  forEach(
    callback: (value: AgentMetadata, key: string, map: ReadonlyMap<string, AgentMetadata>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.map) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, AgentMetadata]> {
    return this.map.entries();
  }

  keys(): MapIterator<string> {
    return this.map.keys();
  }

  values(): MapIterator<AgentMetadata> {
    return this.map.values();
  }

  [Symbol.iterator](): MapIterator<[string, AgentMetadata]> {
    return this.map[Symbol.iterator]();
  }
}

/** The built-in types, parsed once, on first use. */
export const builtinAgentCatalog: AgentCatalog = new LazyCatalog();

/**
 * The built-in types plus installed agents (typed `ocf:PROVIDER:TYPE`). An installed agent with
 * the type of a built-in one replaces it: the agent's own meta-data is the better truth about
 * what runs on the nodes. Two extra entries of one type are a mistake of the caller.
 */
export function catalogWith(extra: readonly AgentMetadata[]): AgentCatalog {
  const out = new Map(builtinAgentCatalog);
  const seen = new Set<string>();
  for (const meta of extra) {
    if (seen.has(meta.type)) throw new Error(`agent type ${meta.type} is given twice`);
    seen.add(meta.type);
    out.set(meta.type, meta);
  }
  return out;
}
