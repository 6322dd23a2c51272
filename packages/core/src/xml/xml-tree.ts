// An ordered, immutable XML tree that keeps everything cluster.conf round trips need:
// attribute order, comments, CDATA and text. Typed views (cluster-conf/) are read from it and
// edits produce new trees by path copying, so a file written by another tool is never damaged.

export interface XmlAttr {
  readonly name: string;
  readonly value: string;
}

export interface XmlElement {
  readonly type: 'element';
  readonly name: string;
  readonly attrs: readonly XmlAttr[];
  readonly children: readonly XmlNode[];
}

export interface XmlComment {
  readonly type: 'comment';
  readonly text: string;
}

export interface XmlText {
  readonly type: 'text';
  readonly text: string;
}

export interface XmlCdata {
  readonly type: 'cdata';
  readonly text: string;
}

export type XmlNode = XmlElement | XmlComment | XmlText | XmlCdata;

export interface XmlDocument {
  /** Attributes of the `<?xml …?>` declaration (`version="1.0"` when the file has none). */
  readonly declaration: readonly XmlAttr[];
  /** Comments before the root element. */
  readonly before: readonly XmlComment[];
  readonly root: XmlElement;
  /** Comments after the root element. */
  readonly after: readonly XmlComment[];
}

export function element(
  name: string,
  attrs: Readonly<Record<string, string>> | readonly XmlAttr[] = [],
  children: readonly XmlNode[] = [],
): XmlElement {
  const list = Array.isArray(attrs)
    ? (attrs as readonly XmlAttr[])
    : Object.entries(attrs).map(([n, value]) => ({ name: n, value }));
  return { type: 'element', name, attrs: list, children };
}

export function attr(el: XmlElement, name: string): string | undefined {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return undefined;
}

export function attrsRecord(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of el.attrs) out[a.name] = a.value;
  return out;
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.type === 'element' && (name === undefined || c.name === name)) out.push(c);
  }
  return out;
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.type === 'element' && c.name === name) return c;
  return undefined;
}

/** Sets an attribute in place of the old value (keeping its position) or appends it. */
export function withAttr(el: XmlElement, name: string, value: string): XmlElement {
  const i = el.attrs.findIndex((a) => a.name === name);
  const attrs =
    i < 0
      ? [...el.attrs, { name, value }]
      : el.attrs.map((a, j) => (j === i ? { name, value } : a));
  return { ...el, attrs };
}

export function withoutAttr(el: XmlElement, name: string): XmlElement {
  return { ...el, attrs: el.attrs.filter((a) => a.name !== name) };
}

export function withChildren(el: XmlElement, children: readonly XmlNode[]): XmlElement {
  return { ...el, children };
}

/** Structural equality of two trees (attribute order and comments included). */
export function nodesEqual(a: XmlNode, b: XmlNode): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'element' || b.type !== 'element') {
    return (a as XmlText).text === (b as XmlText).text;
  }
  if (a.name !== b.name || a.attrs.length !== b.attrs.length) return false;
  if (a.children.length !== b.children.length) return false;
  for (let i = 0; i < a.attrs.length; i++) {
    const x = a.attrs[i]!;
    const y = b.attrs[i]!;
    if (x.name !== y.name || x.value !== y.value) return false;
  }
  for (let i = 0; i < a.children.length; i++) {
    if (!nodesEqual(a.children[i]!, b.children[i]!)) return false;
  }
  return true;
}

export function documentsEqual(a: XmlDocument, b: XmlDocument): boolean {
  const attrsSame = (x: readonly XmlAttr[], y: readonly XmlAttr[]) =>
    x.length === y.length && x.every((v, i) => v.name === y[i]!.name && v.value === y[i]!.value);
  const listSame = (x: readonly XmlComment[], y: readonly XmlComment[]) =>
    x.length === y.length && x.every((v, i) => v.text === y[i]!.text);
  return (
    attrsSame(a.declaration, b.declaration) &&
    listSame(a.before, b.before) &&
    listSame(a.after, b.after) &&
    nodesEqual(a.root, b.root)
  );
}
