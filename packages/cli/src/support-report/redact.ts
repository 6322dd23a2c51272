// Secrets out of everything a support report carries (DESIGN.md §3: secrets are redacted wherever
// config is exported). In cluster.conf every attribute whose name says it holds a secret (fence
// device passwords, SNMP communities, keys, tokens) is replaced, on any element; the values found
// are then blanked out of every other text of the report (logs, command output) as well, since an
// agent may have echoed one.
import { escapeAttr, parseXml, serializeXml, type XmlElement, type XmlNode } from '@quorate/core';

export const REDACTED = '[redacted]';

const secretName = /passw|secret|token|community|credential|private|_key$|^key$/i;

/** Elements whose attributes are never secrets: totem's `token` is a timeout in milliseconds. */
const plainElements = new Set(['totem']);

/** Whether an attribute of this name on this element (a fence agent argument, say) is a secret. */
export function isSecretAttribute(element: string, name: string): boolean {
  return !plainElements.has(element) && secretName.test(name);
}

export interface RedactedConfig {
  readonly text: string;
  /** The secret values that were replaced, to blank out of other texts. */
  readonly secrets: readonly string[];
  /** Where each was, as `/cluster/fencedevices/fencedevice[2]/@passwd`, for the report's notes. */
  readonly paths: readonly string[];
}

/** cluster.conf with every secret attribute's value replaced; throws if it is not XML. */
export function redactClusterConf(text: string): RedactedConfig {
  const doc = parseXml(text);
  const secrets = new Set<string>();
  const paths: string[] = [];
  const walk = (el: XmlElement, path: string): XmlElement => {
    const attrs = el.attrs.map((a) => {
      if (!isSecretAttribute(el.name, a.name) || a.value === '') return a;
      secrets.add(a.value);
      paths.push(`${path}/@${a.name}`);
      return { name: a.name, value: REDACTED };
    });
    const counts = new Map<string, number>();
    const children = el.children.map((child: XmlNode) => {
      if (child.type !== 'element') return child;
      const n = (counts.get(child.name) ?? 0) + 1;
      counts.set(child.name, n);
      return walk(child, `${path}/${child.name}[${n}]`);
    });
    return { ...el, attrs, children };
  };
  const root = walk(doc.root, `/${doc.root.name}`);
  return { text: serializeXml({ ...doc, root }), secrets: [...secrets], paths };
}

/**
 * `text` with every occurrence of each secret replaced, as written raw, inside a JSON string (the
 * agent's log) or in XML; longest first, since one secret may contain another.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(escapeAttr(secret));
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    out = out.split(form).join(REDACTED);
  }
  return out;
}
