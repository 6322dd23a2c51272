// Where the console keeps each cluster's CA after creating it: adding a node later needs a
// certificate from the same CA. One file per cluster in a folder only the console's user can
// read (0700, files 0600), beside the console's other TLS material; in memory for tests.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAME_PATTERN } from './bootstrap-plan.js';
import type { PemPair } from './cluster-ca.js';

export interface ClusterCaKeeper {
  save(cluster: string, ca: PemPair): void;
  /** The cluster's CA, or undefined when this console did not create the cluster. */
  load(cluster: string): PemPair | undefined;
  forget(cluster: string): void;
}

export function memoryCaKeeper(): ClusterCaKeeper {
  const kept = new Map<string, PemPair>();
  return {
    save: (cluster, ca) => void kept.set(cluster, ca),
    load: (cluster) => kept.get(cluster),
    forget: (cluster) => void kept.delete(cluster),
  };
}

export function folderCaKeeper(dir: string): ClusterCaKeeper {
  const file = (cluster: string) => {
    // Names come from the create form (checked), never from a path the user picked.
    if (!NAME_PATTERN.test(cluster)) throw new Error(`"${cluster}" cannot name a CA file`);
    return join(dir, `${cluster}.json`);
  };
  return {
    save(cluster, ca) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      writeFileSync(file(cluster), JSON.stringify(ca), { mode: 0o600 });
    },
    load(cluster) {
      const path = file(cluster);
      if (!existsSync(path)) return undefined;
      const { certPem, keyPem } = JSON.parse(readFileSync(path, 'utf8')) as PemPair;
      return { certPem, keyPem };
    },
    forget(cluster) {
      if (NAME_PATTERN.test(cluster)) rmSync(file(cluster), { force: true });
    },
  };
}
