// clusvcadm's words in a transcript (`relocate web -m n2`, `lock`) as a request.
import type { RmRequest } from '../resource-manager/request-model.js';

const simple = ['disable', 'stop', 'restart', 'freeze', 'unfreeze', 'convalesce'] as const;

export function parseRequestArgs(args: readonly string[]): RmRequest {
  const [kind, name, ...rest] = args;
  if (kind === 'lock' || kind === 'unlock' || kind === 'query-lock') return { kind };
  if (name === undefined) throw new Error(`${kind}: a service is missing`);
  const service = name.includes(':') ? name : `service:${name}`;
  const flag = rest.indexOf('-m');
  const target = flag >= 0 ? rest[flag + 1] : undefined;
  if (kind === 'migrate') {
    if (target === undefined) throw new Error('Migration requires a target cluster member');
    return { kind, service, target };
  }
  if (kind === 'enable' || kind === 'relocate') {
    return target === undefined ? { kind, service } : { kind, service, target };
  }
  const known = simple.find((k) => k === kind);
  if (!known) throw new Error(`unknown request ${kind}`);
  return { kind: known, service };
}
