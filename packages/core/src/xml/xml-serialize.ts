import type { XmlAttr, XmlDocument, XmlElement, XmlNode } from './xml-tree.js';

const indentUnit = '  ';

export function escapeAttr(value: string): string {
  return (
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Literal tabs and newlines in attributes are normalised to spaces by XML parsers.
      .replace(/\t/g, '&#9;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
  );
}

export function escapeText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

function attrsText(attrs: readonly XmlAttr[]): string {
  return attrs.map((a) => ` ${a.name}="${escapeAttr(a.value)}"`).join('');
}

function commentText(text: string): string {
  // A comment cannot hold "--" or end in "-"; such text can only come from an edit, never a parse.
  return `<!--${text.replace(/--/g, '- -').replace(/-$/, '- ')}-->`;
}

function cdataText(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function inline(node: XmlNode): string {
  switch (node.type) {
    case 'text':
      return escapeText(node.text);
    case 'cdata':
      return cdataText(node.text);
    case 'comment':
      return commentText(node.text);
    case 'element':
      return node.children.length === 0
        ? `<${node.name}${attrsText(node.attrs)}/>`
        : `<${node.name}${attrsText(node.attrs)}>${node.children.map(inline).join('')}</${node.name}>`;
  }
}

function block(el: XmlElement, depth: number, out: string[]): void {
  const pad = indentUnit.repeat(depth);
  const open = `${pad}<${el.name}${attrsText(el.attrs)}`;
  if (el.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  // Mixed content keeps its text exactly: no indentation is added inside it.
  if (el.children.some((c) => c.type === 'text' || c.type === 'cdata')) {
    out.push(pad + inline(el));
    return;
  }
  out.push(`${open}>`);
  for (const child of el.children) {
    if (child.type === 'element') block(child, depth + 1, out);
    else out.push(indentUnit.repeat(depth + 1) + inline(child));
  }
  out.push(`${pad}</${el.name}>`);
}

/** Writes a document with two-space indentation and a trailing newline. */
export function serializeXml(doc: XmlDocument): string {
  const out: string[] = [];
  out.push(`<?xml${attrsText(doc.declaration)}?>`);
  for (const c of doc.before) out.push(commentText(c.text));
  block(doc.root, 0, out);
  for (const c of doc.after) out.push(commentText(c.text));
  return `${out.join('\n')}\n`;
}
