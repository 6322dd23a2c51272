import type { ErrorCode } from '@quorate/protocol';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { XmlAttr, XmlComment, XmlDocument, XmlElement, XmlNode } from './xml-tree.js';

/** Real cluster.conf files are kilobytes; 32 nodes with 1,000 services is well under 1 MiB. */
export const maxConfigBytes = 4 * 1024 * 1024;
/** Resource trees nest a handful of levels; anything this deep is not a cluster.conf. */
export const maxDepth = 64;

export class XmlInputError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'XmlInputError';
  }
}

// Entities are decoded here, not by fast-xml-parser: it leaves numeric references alone and
// decodes `&amp;#65;` twice when both are on.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  ignoreDeclaration: false,
  ignorePiTags: false,
});

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntities(raw: string, where: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,32});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) {
      throw new XmlInputError('CONFIG_NOT_XML', `${where}: '&' must start an entity such as &amp;`);
    }
    const named = namedEntities[name];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(name);
    const code = m ? Number.parseInt(m[1] ?? m[2]!, m[1] ? 16 : 10) : Number.NaN;
    if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) {
      throw new XmlInputError('CONFIG_NOT_XML', `${where}: unknown entity &${name};`);
    }
    return String.fromCodePoint(code);
  });
}

type Raw = Record<string, unknown>;

function textOf(list: unknown): string {
  if (!Array.isArray(list)) return '';
  return list.map((t) => String((t as Raw)['#text'] ?? '')).join('');
}

function convertAttrs(raw: unknown, where: string): XmlAttr[] {
  if (raw === undefined) return [];
  return Object.entries(raw as Record<string, unknown>).map(([name, value]) => {
    const text = String(value);
    if (text.includes('<')) {
      throw new XmlInputError('CONFIG_NOT_XML', `${where}/@${name}: '<' is not allowed in a value`);
    }
    return { name, value: decodeEntities(text, `${where}/@${name}`) };
  });
}

function convertNode(raw: Raw, where: string, depth: number): XmlNode | null {
  if ('#text' in raw) {
    const text = decodeEntities(String(raw['#text']), where);
    // Whitespace between elements is layout, not content: the serializer re-indents.
    return text.trim() === '' ? null : { type: 'text', text };
  }
  if ('#comment' in raw) return { type: 'comment', text: textOf(raw['#comment']) };
  if ('#cdata' in raw) return { type: 'cdata', text: textOf(raw['#cdata']) };
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined) return null;
  if (name.startsWith('?')) {
    throw new XmlInputError(
      'CONFIG_UNSUPPORTED_XML',
      `${where}: processing instruction <${name}> is not allowed inside cluster.conf`,
    );
  }
  return convertElement(name, raw, `${where}/${name}`, depth + 1);
}

function convertElement(name: string, raw: Raw, where: string, depth: number): XmlElement {
  if (depth > maxDepth) {
    throw new XmlInputError(
      'CONFIG_UNSUPPORTED_XML',
      `${where}: nested deeper than ${maxDepth} elements`,
    );
  }
  const attrs = convertAttrs(raw[':@'], where);
  const children: XmlNode[] = [];
  for (const child of (raw[name] as Raw[] | undefined) ?? []) {
    const node = convertNode(child, where, depth);
    if (node) children.push(node);
  }
  return { type: 'element', name, attrs, children };
}

/**
 * The validator reports elements left open at the end as `Unclosed tag 'x'.` or, for several,
 * as `Invalid '["a","b"]' found.` at line 1: say what that means for a file (it was cut short).
 */
function unclosedMessage(msg: string): string | undefined {
  const one = /^Unclosed tag '([^']*)'\.$/.exec(msg);
  const many = /^Invalid '(\[.*\])' found\.$/.exec(msg);
  let names: unknown = one ? [one[1]] : undefined;
  if (many) {
    try {
      names = JSON.parse(many[1]!);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(names) || names.length === 0) return undefined;
  const open = names.map((n) => `<${String(n)}>`).join(', ');
  return `the file ends while ${open} ${names.length === 1 ? 'is' : 'are'} still open (is it truncated?)`;
}

function checkWellFormed(text: string): void {
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const unclosed = unclosedMessage(msg);
    if (unclosed) throw new XmlInputError('CONFIG_NOT_XML', `not well-formed XML: ${unclosed}`);
    throw new XmlInputError(
      'CONFIG_NOT_XML',
      `not well-formed XML at line ${line}, column ${col}: ${msg}`,
      line,
      col,
    );
  }
  // fast-xml-parser drops text after a self-closed root (`<cluster/>junk`) without a word.
  if (text.slice(text.lastIndexOf('>') + 1).trim() !== '') {
    throw new XmlInputError('CONFIG_NOT_XML', 'not well-formed XML: text after the root element');
  }
  if (/<!DOCTYPE/i.test(text)) {
    throw new XmlInputError(
      'CONFIG_UNSUPPORTED_XML',
      'a DOCTYPE is not allowed in cluster.conf (entity definitions could expand without bound)',
    );
  }
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n +=
      c < 0x80
        ? 1
        : c < 0x800
          ? 2
          : c >= 0xd800 && c < 0xdc00
            ? 4
            : c >= 0xdc00 && c < 0xe000
              ? 0
              : 3;
  }
  return n;
}

/** Parses XML text into an ordered tree; throws XmlInputError naming the problem. */
export function parseXml(text: string): XmlDocument {
  // Every UTF-16 unit is at least one UTF-8 byte: a long string is refused without counting.
  const bytes = text.length > maxConfigBytes ? text.length : utf8Length(text);
  if (bytes > maxConfigBytes) {
    throw new XmlInputError(
      'CONFIG_TOO_LARGE',
      `the file is ${text.length > maxConfigBytes ? 'at least ' : ''}${bytes} bytes; ` +
        `the limit is ${maxConfigBytes} bytes (4 MiB)`,
    );
  }
  if (text.trim() === '') throw new XmlInputError('CONFIG_NOT_XML', 'the file is empty');
  checkWellFormed(text);
  let top: Raw[];
  try {
    top = parser.parse(text) as Raw[];
  } catch (e) {
    // fast-xml-parser stops at its own nesting limit before convertElement sees the depth.
    if ((e as Error).message === 'Maximum nested tags exceeded') {
      throw new XmlInputError(
        'CONFIG_UNSUPPORTED_XML',
        `elements are nested deeper than ${maxDepth} levels; no cluster.conf is this deep`,
      );
    }
    throw new XmlInputError('CONFIG_NOT_XML', `not well-formed XML: ${(e as Error).message}`);
  }
  // A file without a declaration is written back with the usual one.
  let declaration: XmlAttr[] = [{ name: 'version', value: '1.0' }];
  const before: XmlComment[] = [];
  const after: XmlComment[] = [];
  let root: XmlElement | null = null;
  for (const raw of top) {
    if ('?xml' in raw) {
      declaration = convertAttrs(raw[':@'], '/?xml');
      continue;
    }
    const node = convertNode(raw, '', 0);
    if (node === null) continue;
    if (node.type === 'comment') (root ? after : before).push(node);
    else if (node.type === 'element' && root === null) root = node;
    else if (node.type === 'element') {
      throw new XmlInputError(
        'CONFIG_NOT_XML',
        `not well-formed XML: a second root element <${node.name}> follows <${root!.name}>`,
      );
    } else {
      throw new XmlInputError(
        'CONFIG_NOT_XML',
        'not well-formed XML: text outside the root element',
      );
    }
  }
  if (root === null)
    throw new XmlInputError('CONFIG_NOT_XML', 'not well-formed XML: no root element');
  return { declaration, before, root, after };
}
