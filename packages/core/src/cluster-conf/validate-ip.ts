/** An address as the `ip` resource and `<multicast addr>` take it: IPv4 or IPv6, `/prefix` optional. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly address: string;
  readonly prefix: number | undefined;
  /** Multicast range: 224.0.0.0/4 or ff00::/8. */
  readonly multicast: boolean;
}

export type IpParse = { ok: true; ip: IpAddress } | { ok: false; reason: string };

function ipv4Octets(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const p of parts) {
    // A leading zero reads as octal to inet_aton and as decimal elsewhere: refuse the ambiguity.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4Octets(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 part may only end the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 1) return count === 8 ? head : undefined;
  if (count > 7) return undefined;
  return [...head, ...new Array<number>(8 - count).fill(0), ...tail];
}

/** Parses `192.168.1.10`, `10.0.0.1/24`, `fe80::1`, `2001:db8::10/64`. */
export function parseIpAddress(text: string): IpParse {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const prefixText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const v4 = ipv4Octets(address);
  const v6 = v4 ? undefined : ipv6Groups(address);
  if (!v4 && !v6) {
    return { ok: false, reason: `"${text}" is not an IPv4 or IPv6 address` };
  }
  const family: 4 | 6 = v4 ? 4 : 6;
  const maxPrefix = family === 4 ? 32 : 128;
  let prefix: number | undefined;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
      return {
        ok: false,
        reason: `the prefix length in "${text}" must be a number from 0 to ${maxPrefix}`,
      };
    }
    prefix = Number(prefixText);
  }
  const multicast = v4 ? v4[0]! >= 224 && v4[0]! <= 239 : v6![0]! >> 8 === 0xff;
  return { ok: true, ip: { family, address, prefix, multicast } };
}
