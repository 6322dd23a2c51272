import type { XmlElement, XmlNode } from '../xml/xml-tree.js';
import { element, withAttr, withoutAttr } from '../xml/xml-tree.js';
import { EditError } from './edit-model.js';

// Path copying over the ordered tree: an edit rebuilds only the elements on the way from the
// root to what changes, so everything else (unknown elements, comments, attribute order) is
// carried over untouched. Elements are found by the XPath-like paths the typed views carry.

interface Step {
  readonly name: string;
  /** 1-based position among same-named siblings. */
  readonly index: number;
}

function parseSteps(path: string): Step[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^(.+?)(?:\[(\d+)\])?$/.exec(s)!;
      return { name: m[1]!, index: m[2] === undefined ? 1 : Number(m[2]) };
    });
}

function childIndex(parent: XmlElement, step: Step): number {
  let seen = 0;
  for (let i = 0; i < parent.children.length; i++) {
    const c = parent.children[i]!;
    if (c.type === 'element' && c.name === step.name && ++seen === step.index) return i;
  }
  return -1;
}

/**
 * Replaces the element at `path` (which starts at the root, e.g. `/cluster/rm/service[2]`) with
 * what `change` returns, or removes it when that is null.
 */
export function updateAt(
  root: XmlElement,
  path: string,
  change: (el: XmlElement) => XmlElement | null,
  expected?: XmlElement,
): XmlElement {
  const [first, ...rest] = parseSteps(path);
  if (!first || first.name !== root.name)
    throw new Error(`path ${path} is not under <${root.name}>`);
  const walk = (el: XmlElement, steps: readonly Step[]): XmlElement | null => {
    const [step, ...more] = steps;
    if (!step) {
      // Old-schema files can hold two elements behind one path (a repeated singleton).
      if (expected && el !== expected) {
        throw new EditError(
          path,
          'this path names more than one element here; edit the file by hand',
        );
      }
      return change(el);
    }
    const i = childIndex(el, step);
    if (i < 0) throw new Error(`no element at ${path}`);
    const next = walk(el.children[i] as XmlElement, more);
    const children = [...el.children];
    if (next === null) children.splice(i, 1);
    else children[i] = next;
    return { ...el, children };
  };
  const out = walk(root, rest);
  if (out === null) throw new Error('the root element cannot be removed');
  return out;
}

/** Updates (or removes, with null) the element a typed view was read from. */
export function updateElement(
  root: XmlElement,
  view: { readonly path: string; readonly el: XmlElement },
  change: (el: XmlElement) => XmlElement | null,
): XmlElement {
  return updateAt(root, view.path, change, view.el);
}

/**
 * Inserts `child` where a person would: after the last sibling whose name is in `after`, else
 * before the first sibling whose name is in `before`, else at the end.
 */
export function insertChild(
  parent: XmlElement,
  child: XmlNode,
  after: readonly string[],
  before: readonly string[] = [],
): XmlElement {
  const isIn = (n: XmlNode, names: readonly string[]) =>
    n.type === 'element' && names.includes(n.name);
  let at = -1;
  for (let i = parent.children.length - 1; i >= 0; i--) {
    if (isIn(parent.children[i]!, after)) {
      at = i + 1;
      break;
    }
  }
  if (at < 0) {
    const i = parent.children.findIndex((n) => isIn(n, before));
    at = i < 0 ? parent.children.length : i;
  }
  const children = [...parent.children];
  children.splice(at, 0, child);
  return { ...parent, children };
}

/**
 * Returns the parent with a `<name>` child, created in its usual place when missing: `order`
 * lists the sections in the order RHCS tools write them.
 */
export function ensureSection(
  parent: XmlElement,
  name: string,
  order: readonly string[],
): XmlElement {
  if (elementNames(parent).includes(name)) return parent;
  const at = order.indexOf(name);
  return insertChild(parent, element(name), order.slice(0, at), order.slice(at + 1));
}

/** Names of the element children, in order. */
export function elementNames(el: XmlElement): string[] {
  return el.children.flatMap((c) => (c.type === 'element' ? [c.name] : []));
}

/** Sections of `<cluster>` in the order RHCS tools write them. */
export const clusterSectionOrder = [
  'cman',
  'totem',
  'quorumd',
  'fence_daemon',
  'logging',
  'clusternodes',
  'fencedevices',
  'rm',
] as const;

/** Sections of `<rm>` before its services. */
export const rmSectionOrder = ['failoverdomains', 'resources', 'resource-defaults'] as const;

/** Sets, keeps or removes attributes: `null` removes, `undefined` leaves alone. */
export function applyAttrChanges(
  el: XmlElement,
  changes: Readonly<Record<string, string | null | undefined>>,
): XmlElement {
  let out = el;
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    out = value === null ? withoutAttr(out, name) : withAttr(out, name, value);
  }
  return out;
}

/** A new element whose attributes come first from `lead` (in order), then from `rest`. */
export function newElement(
  name: string,
  lead: readonly (readonly [string, string | undefined])[],
  rest: Readonly<Record<string, string>> = {},
  children: readonly XmlNode[] = [],
): XmlElement {
  const attrs: Array<{ name: string; value: string }> = [];
  for (const [n, v] of lead) if (v !== undefined) attrs.push({ name: n, value: v });
  for (const [n, v] of Object.entries(rest)) {
    if (!attrs.some((a) => a.name === n)) attrs.push({ name: n, value: v });
  }
  return element(name, attrs, children);
}
