import { serializeXml } from '../xml/xml-serialize.js';
import type { XmlDocument, XmlElement, XmlNode } from '../xml/xml-tree.js';
import { isSecretParameter } from './fence-agent-catalog.js';

/** What stands in the place of a secret the console never shows. */
export const redactedSecret = '********';

/** The mark of a secret that differs from every secret of the file it is compared with. */
export const changedSecret = '******** (changed)';

/** Elements whose attributes are fence arguments: the shared device and the per-node use. */
const fenceElements = new Set(['fencedevice', 'device']);

function secretValues(el: XmlElement, into: Set<string>): Set<string> {
  if (fenceElements.has(el.name)) {
    for (const a of el.attrs) if (isSecretParameter(a.name)) into.add(a.value);
  }
  for (const c of el.children) if (c.type === 'element') secretValues(c, into);
  return into;
}

function redactElement(el: XmlElement, known: ReadonlySet<string> | undefined): XmlElement {
  const attrs = fenceElements.has(el.name)
    ? el.attrs.map((a) =>
        isSecretParameter(a.name)
          ? { name: a.name, value: known && !known.has(a.value) ? changedSecret : redactedSecret }
          : a,
      )
    : el.attrs;
  const children: XmlNode[] = el.children.map((c) =>
    c.type === 'element' ? redactElement(c, known) : c,
  );
  return { ...el, attrs, children };
}

/**
 * The document with every fence secret (passwd, community, …) replaced by a mark. Given the
 * document it is compared with, a secret found nowhere in that one is marked as changed, so a
 * diff of two redacted files still shows that a password was re-entered.
 */
export function redactConfig(doc: XmlDocument, comparedWith?: XmlDocument): XmlDocument {
  const known = comparedWith ? secretValues(comparedWith.root, new Set()) : undefined;
  return { ...doc, root: redactElement(doc.root, known) };
}

/** The redacted text of a document, as the console shows and diffs it. */
export function redactedConfigText(doc: XmlDocument, comparedWith?: XmlDocument): string {
  return serializeXml(redactConfig(doc, comparedWith));
}
