import type { MemberStatus } from '@quorate/protocol';

export type MemberMatch =
  | { readonly kind: 'exact'; readonly member: MemberStatus }
  | { readonly kind: 'closest'; readonly member: MemberStatus }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous' };

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * clusvcadm's lookup of `-m NODE`: the member of that name, else the one sharing the longest
 * prefix with it ("Closest match"), unless none shares any or two share the longest.
 */
export function matchMember(members: readonly MemberStatus[], name: string): MemberMatch {
  const exact = members.find((m) => m.name === name);
  if (exact) return { kind: 'exact', member: exact };
  let best = 0;
  let found: MemberStatus[] = [];
  for (const m of members) {
    const length = commonPrefix(m.name, name);
    if (length === 0 || length < best) continue;
    if (length > best) found = [];
    best = length;
    found.push(m);
  }
  if (found.length === 0) return { kind: 'none' };
  if (found.length > 1) return { kind: 'ambiguous' };
  return { kind: 'closest', member: found[0]! };
}
