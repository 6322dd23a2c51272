import type { ClusterEventKind, TimelineQuery } from '@quorate/protocol';

/** The filter groups the page offers, in an administrator's words, and the kinds each covers. */
export const kindGroups = [
  { id: 'membership', label: 'Membership', kinds: ['member'] },
  { id: 'quorum', label: 'Quorum', kinds: ['quorum'] },
  { id: 'fencing', label: 'Fencing', kinds: ['fence', 'fenced'] },
  { id: 'service', label: 'Services', kinds: ['service'] },
  { id: 'lock', label: 'Lock', kinds: ['lock'] },
  { id: 'link', label: 'Console link', kinds: ['link'] },
] as const satisfies readonly { id: string; label: string; kinds: readonly ClusterEventKind[] }[];

export type KindGroup = (typeof kindGroups)[number]['id'];

/** What the filter form holds: empty strings for filters not set. */
export interface TimelineFilter {
  readonly groups: readonly KindGroup[];
  readonly node: string;
  readonly service: string;
  /** `datetime-local` values (the browser's time zone), or ''. */
  readonly from: string;
  readonly to: string;
}

export const noFilter: TimelineFilter = { groups: [], node: '', service: '', from: '', to: '' };

const localToIso = (local: string) => (local === '' ? undefined : new Date(local).toISOString());

/** The console's query for a filter; no group chosen means every kind. */
export function timelineQuery(filter: TimelineFilter, limit: number): TimelineQuery {
  const kinds = kindGroups.filter((g) => filter.groups.includes(g.id)).flatMap((g) => g.kinds);
  const from = localToIso(filter.from);
  const to = localToIso(filter.to);
  return {
    limit,
    ...(kinds.length > 0 && { kind: kinds.join(',') }),
    ...(filter.node !== '' && { node: filter.node }),
    ...(filter.service !== '' && { service: filter.service }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
  };
}

/** The query as a URL's search part (`?kind=…&node=…`). */
export function searchOf(query: TimelineQuery, before?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  if (before !== undefined) params.set('before', String(before));
  return `?${params.toString()}`;
}
