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

function parseBuiltins(): AgentCatalog {
  const out = new Map<string, AgentMetadata>();
  for (const [type, xml] of Object.entries(builtinMetadataXml)) {
    out.set(type, parseAgentMetadata(xml, { type }));
  }
  return out;
}

/** The built-in types, parsed once when the module loads. */
export const builtinAgentCatalog: AgentCatalog = parseBuiltins();

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
