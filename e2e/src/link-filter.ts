// Link cuts as packet filter rules inside the host namespaces. A cut is a set of blocked
// directions; each host's nftables table is rendered from the whole set and replaced atomically.
//
// Rules sit on the host's eth0 at the netdev ingress and egress hooks and match MAC addresses, so
// a cut follows a host when a floating address moves, and a dropped packet vanishes silently (a
// drop at the IP output hook would hand the sender EPERM, which no real network does). ARP always
// passes: a cut is a firewall partition at the IP level, which keeps one-way cuts one-way.
import { hostInterface } from './layout.js';

export const filterTable = 'quorate_cut';

/** Traffic from `from` to `to` is dropped; `*` stands for every host. */
export interface Block {
  from: string;
  to: string;
}

export const anyHost = '*';

export function blockKey(block: Block): string {
  return `${block.from}>${block.to}`;
}

export function parseBlockKey(key: string): Block {
  const [from, to] = key.split('>');
  if (from === undefined || to === undefined) throw new Error(`block: bad key "${key}"`);
  return { from, to };
}

/** Rule lines for one host: egress drops what it may not send, ingress what it may not receive. */
export function hostRules(
  host: string,
  blocks: readonly Block[],
  macOf: (host: string) => string,
): { ingress: string[]; egress: string[] } {
  const ingress: string[] = [];
  const egress: string[] = [];
  for (const { from, to } of blocks) {
    if (from === host) egress.push(to === anyHost ? 'drop' : `ether daddr ${macOf(to)} drop`);
    if (to === host) ingress.push(from === anyHost ? 'drop' : `ether saddr ${macOf(from)} drop`);
  }
  return { ingress: unique(ingress), egress: unique(egress) };
}

function unique(lines: string[]): string[] {
  return [...new Set(lines)];
}

/**
 * An `nft -f` script that replaces the host's cut table in one transaction. The leading
 * add+delete makes the delete safe when the table does not exist yet.
 */
export function hostFilterScript(
  host: string,
  blocks: readonly Block[],
  macOf: (host: string) => string,
): string {
  const { ingress, egress } = hostRules(host, blocks, macOf);
  const lines = [`add table netdev ${filterTable}`, `delete table netdev ${filterTable}`];
  if (ingress.length === 0 && egress.length === 0) return `${lines.join('\n')}\n`;
  const chain = (hook: 'ingress' | 'egress', rules: string[]) => [
    `  chain ${hook} {`,
    `    type filter hook ${hook} device "${hostInterface}" priority 0; policy accept;`,
    '    ether type arp accept',
    ...rules.map((rule) => `    ${rule}`),
    '  }',
  ];
  lines.push(
    `table netdev ${filterTable} {`,
    ...chain('ingress', ingress),
    ...chain('egress', egress),
    '}',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The cuts in force on one network. Each change re-renders the tables of the hosts it touches
 * (every host when a host-wide block is involved) and hands them to `apply`.
 */
export class LinkCuts {
  private readonly blocks = new Set<string>();

  constructor(
    private readonly hosts: readonly string[],
    private readonly macOf: (host: string) => string,
    private readonly apply: (host: string, script: string) => Promise<unknown>,
  ) {}

  list(): Block[] {
    return [...this.blocks].map(parseBlockKey);
  }

  async change(add: readonly Block[], remove: readonly Block[]): Promise<void> {
    const touched = new Set<string>();
    for (const block of remove) {
      if (this.blocks.delete(blockKey(block))) touched.add(block.from).add(block.to);
    }
    for (const block of add) {
      this.blocks.add(blockKey(block));
      touched.add(block.from).add(block.to);
    }
    const hosts = touched.has(anyHost) ? this.hosts : [...touched];
    const blocks = this.list();
    await Promise.all(
      hosts.map((host) => this.apply(host, hostFilterScript(host, blocks, this.macOf))),
    );
  }
}
