import type { ClusterConf } from '../cluster-conf/model.js';
import { parseClusterConf } from '../cluster-conf/read.js';

const MEMO_SIZE = 16;
const recent = new Map<string, ClusterConf>();

/**
 * Parses cluster.conf text, remembering the last few: every node reads each committed text
 * several times (its version, its voting set), and parsing dominates otherwise. The parsed
 * model is immutable, so sharing it is safe.
 */
export function parseConfMemo(text: string): ClusterConf {
  const known = recent.get(text);
  if (known) return known;
  const conf = parseClusterConf(text);
  if (recent.size >= MEMO_SIZE) recent.delete(recent.keys().next().value as string);
  recent.set(text, conf);
  return conf;
}
