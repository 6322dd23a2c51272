import type { XmlDocument, XmlElement } from '@quorate/core';
import { childElements, serializeXml } from '@quorate/core';
import { CcsToolError } from './config-file.js';

/*
 * The XPath subset `ccs_tool query` answers — enough for the usual questions about a
 * cluster.conf, evaluated over the same tree the editor uses:
 *
 *   /cluster/@name                                      an attribute of an element
 *   /cluster/clusternodes/clusternode[@name="n1"]/@votes   select by attribute value
 *   /cluster/clusternodes/clusternode[2]                  by position (1-based); [last()]
 *   /cluster/rm/service[@domain]/@name                  elements that have the attribute
 *   //fencedevice/@agent                                anywhere below (descendant axis)
 *   /cluster/fencedevices/fencedevice[1]/@*             every attribute, as name=value
 *   /cluster/*                                          any element name
 *   count(/cluster/clusternodes/clusternode)            how many
 *
 * Attribute results print their value, one a line; element results print their XML.
 */

type Predicate =
  | { readonly kind: 'position'; readonly n: number | 'last' }
  | { readonly kind: 'has'; readonly attr: string }
  | { readonly kind: 'equals'; readonly attr: string; readonly value: string };

interface Step {
  readonly descendant: boolean;
  readonly name: string;
  readonly predicates: readonly Predicate[];
}

interface ParsedPath {
  readonly steps: readonly Step[];
  /** A final `@name` or `@*`. */
  readonly attribute: string | undefined;
}

const nameRe = /^(\*|[A-Za-z_][\w.-]*)/;

function unsupported(query: string, rest: string): CcsToolError {
  const at = rest === '' ? 'the end' : `"${rest}"`;
  return new CcsToolError(
    `query: cannot read "${query}" at ${at}; supported: /a/b[@x="v"][2]/@c, //b, *, @*, count(...)`,
  );
}

function parsePredicate(query: string, rest: string): [Predicate, string] {
  const pos = /^\[\s*(\d+|last\(\))\s*\]/.exec(rest);
  if (pos) {
    const n = pos[1] === 'last()' ? 'last' : Number(pos[1]);
    return [{ kind: 'position', n }, rest.slice(pos[0].length)];
  }
  const eq = /^\[\s*@([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*\]/.exec(rest);
  if (eq)
    return [{ kind: 'equals', attr: eq[1]!, value: eq[2] ?? eq[3]! }, rest.slice(eq[0].length)];
  const has = /^\[\s*@([A-Za-z_][\w.-]*)\s*\]/.exec(rest);
  if (has) return [{ kind: 'has', attr: has[1]! }, rest.slice(has[0].length)];
  throw unsupported(query, rest);
}

function parsePath(query: string, text: string): ParsedPath {
  const steps: Step[] = [];
  let rest = text.trim();
  if (!rest.startsWith('/')) throw unsupported(query, rest);
  while (rest !== '') {
    const descendant = rest.startsWith('//');
    rest = rest.slice(descendant ? 2 : 1);
    if (rest.startsWith('@')) {
      const attr = /^@(\*|[A-Za-z_][\w.-]*)$/.exec(rest);
      if (!attr || descendant || steps.length === 0) throw unsupported(query, rest);
      return { steps, attribute: attr[1] };
    }
    const name = nameRe.exec(rest);
    if (!name) throw unsupported(query, rest);
    rest = rest.slice(name[0].length);
    const predicates: Predicate[] = [];
    while (rest.startsWith('[')) {
      const [p, after] = parsePredicate(query, rest);
      predicates.push(p);
      rest = after;
    }
    steps.push({ descendant, name: name[1]!, predicates });
    if (rest !== '' && !rest.startsWith('/')) throw unsupported(query, rest);
  }
  return { steps, attribute: undefined };
}

function descendants(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of childElements(el)) out.push(child, ...descendants(child));
  return out;
}

function applyPredicate(list: XmlElement[], p: Predicate): XmlElement[] {
  const value = (el: XmlElement, name: string) => el.attrs.find((a) => a.name === name)?.value;
  switch (p.kind) {
    case 'position': {
      const el = p.n === 'last' ? list.at(-1) : list[p.n - 1];
      return el ? [el] : [];
    }
    case 'has':
      return list.filter((el) => value(el, p.attr) !== undefined);
    case 'equals':
      return list.filter((el) => value(el, p.attr) === p.value);
  }
}

function evaluateSteps(doc: XmlDocument, steps: readonly Step[]): XmlElement[] {
  // A virtual parent of the root, so the first step selects the root like any other.
  let context: XmlElement[] = [{ type: 'element', name: '', attrs: [], children: [doc.root] }];
  for (const step of steps) {
    const next: XmlElement[] = [];
    for (const el of context) {
      const pool = step.descendant ? descendants(el) : childElements(el);
      let list = pool.filter((c) => step.name === '*' || c.name === step.name);
      for (const p of step.predicates) list = applyPredicate(list, p);
      for (const found of list) if (!next.includes(found)) next.push(found);
    }
    context = next;
  }
  return context;
}

function elementXml(el: XmlElement): string {
  const text = serializeXml({ declaration: [], before: [], root: el, after: [] });
  return text.slice(text.indexOf('\n') + 1).replace(/\n$/, '');
}

/** The lines `ccs_tool query` prints; empty when nothing matched. */
export function runQuery(doc: XmlDocument, query: string): string[] {
  const count = /^\s*count\((.*)\)\s*$/.exec(query);
  const path = parsePath(query, count ? count[1]! : query);
  const elements = evaluateSteps(doc, path.steps);
  const lines: string[] = [];
  for (const el of elements) {
    if (path.attribute === undefined) lines.push(elementXml(el));
    else if (path.attribute === '*') lines.push(...el.attrs.map((a) => `${a.name}=${a.value}`));
    else {
      const v = el.attrs.find((a) => a.name === path.attribute)?.value;
      if (v !== undefined) lines.push(v);
    }
  }
  if (count) return [String(path.attribute === undefined ? elements.length : lines.length)];
  return lines;
}
