// How transcripts print requests, placements and state: close to clusvcadm and clustat.
import { type ResourceManagerState, serviceState } from './model.js';
import type { Placement } from './placement.js';
import type { RequestOutcome, RmRequest } from './request-model.js';
import type { RmConfig } from './rm-config.js';

/** clusvcadm's rule: a name without a type is a `service:`. */
export function serviceId(name: string): string {
  return name.includes(':') ? name : `service:${name}`;
}

const verbs: Readonly<Record<RmRequest['kind'], string>> = {
  enable: 'trying to enable',
  disable: 'disabling',
  stop: 'stopping',
  restart: 'trying to restart',
  relocate: 'trying to relocate',
  migrate: 'trying to migrate',
  freeze: 'freezing',
  unfreeze: 'unfreezing',
  convalesce: 'convalescing',
  lock: 'locking',
  unlock: 'unlocking',
  'query-lock': 'querying the lock',
};

export function requestLine(request: RmRequest, outcome: RequestOutcome): string {
  if (!('service' in request) && outcome.code === 0) return outcome.detail ?? outcome.message;
  const code = outcome.code === 0 ? '' : ` (${outcome.code})`;
  const detail = outcome.detail ? `: ${outcome.detail}` : '';
  const what = 'service' in request ? ` ${request.service}` : '';
  const to = 'target' in request && request.target !== undefined ? ` to ${request.target}` : '';
  if (request.kind === 'enable' && request.target !== undefined) {
    return `Member ${request.target} trying to enable ${request.service}...${outcome.message}${code}${detail}`;
  }
  const verb = verbs[request.kind];
  return `${verb[0]!.toUpperCase()}${verb.slice(1)}${what}${to}...${outcome.message}${code}${detail}`;
}

export function formatWhere(p: Placement): string[] {
  const head = p.node ? `${p.service} would run on ${p.node}` : `${p.service} cannot start`;
  const verdicts = p.verdicts.map(
    (v) => `${v.node} ${v.score}${v.block ? ` (${blockText(v.block)})` : ''}`,
  );
  return [`${head}: ${p.reason}`, `  ${verdicts.join(', ')}`];
}

function blockText(b: NonNullable<Placement['verdicts'][number]['block']>): string {
  if (b.rule === 'exclusive') return 'exclusive';
  return `${b.rule === 'colocate' ? 'must be with' : 'kept apart from'} ${b.service}`;
}

const lastOwnerStates = new Set(['stopped', 'disabled', 'failed', 'recovering', 'uninitialized']);

/** clustat's service table: the last owner in parentheses for services that do not run. */
export function formatState(config: RmConfig, state: ResourceManagerState): string[] {
  const lines = config.services.map((svc) => {
    const s = serviceState(state, svc.id);
    const last = s.owner ?? s.lastOwner ?? 'none';
    const owner = lastOwnerStates.has(s.state) ? `(${last})` : (s.owner ?? '');
    const flags = [s.frozen ? '[Z]' : '', s.partial ? '[P]' : ''].join('');
    return ` ${s.id.padEnd(20)} ${owner.padEnd(10)} ${s.state}${flags ? ` ${flags}` : ''}`.trimEnd();
  });
  return state.locked ? [...lines, ' resource groups locked'] : lines;
}
