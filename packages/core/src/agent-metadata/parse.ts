import { parseXml } from '../xml/xml-parse.js';
import type { XmlElement } from '../xml/xml-tree.js';
import { attr, childElements } from '../xml/xml-tree.js';
import { parseOcfDurationMs } from './duration.js';
import type { AgentAction, AgentMetadata, AgentParameter, ChildType } from './model.js';

/** Meta-data that breaks a rule; `path` locates the element or attribute, `rule` names the rule. */
export class AgentMetadataError extends Error {
  constructor(
    readonly path: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'AgentMetadataError';
  }
}

export interface ParseAgentMetadataOptions {
  /** The element name the type has in cluster.conf; defaults to `<resource-agent name>`. */
  readonly type?: string;
}

const knownTypes = ['string', 'integer', 'boolean', 'select'];
const flagWords: Readonly<Record<string, boolean>> = {
  '1': true,
  true: true,
  yes: true,
  on: true,
  '0': false,
  false: false,
  no: false,
  off: false,
};

function fail(path: string, rule: string, message: string): never {
  throw new AgentMetadataError(path, rule, message);
}

/** Each child element named `name` with its path (`name[n]`, counted among its namesakes). */
function indexed(el: XmlElement, path: string, name: string): Array<[XmlElement, string]> {
  return childElements(el, name).map((c, i) => [c, `${path}/${name}[${i + 1}]`]);
}

function single(el: XmlElement, path: string, name: string): [XmlElement, string] | undefined {
  const found = childElements(el, name);
  if (found.length > 1) fail(`${path}/${name}[2]`, 'single-element', `<${name}> may appear once`);
  return found[0] && [found[0], `${path}/${name}`];
}

function textContent(el: XmlElement): string {
  const parts: string[] = [];
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') parts.push(c.text);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** The English (or language-less) description; the first one when none is marked English. */
function description(el: XmlElement, name: string): string {
  const all = childElements(el, name);
  const english = all.find((d) => {
    const lang = attr(d, 'lang');
    return lang === undefined || lang.toLowerCase().startsWith('en');
  });
  const chosen = english ?? all[0];
  return chosen ? textContent(chosen) : '';
}

function flag(el: XmlElement, path: string, name: string): boolean {
  const value = attr(el, name);
  if (value === undefined) return false;
  const parsed = flagWords[value.trim().toLowerCase()];
  if (parsed === undefined) fail(`${path}/@${name}`, 'flag-value', `"${value}" is not 0 or 1`);
  return parsed;
}

function nonNegativeInteger(
  el: XmlElement,
  path: string,
  name: string,
  rule: string,
): number | undefined {
  const value = attr(el, name);
  if (value === undefined) return undefined;
  if (!/^\s*\d{1,9}\s*$/.test(value)) {
    fail(`${path}/@${name}`, rule, `"${value}" is not a whole number`);
  }
  return Number.parseInt(value, 10);
}

function checkDefault(type: string, value: string, options: readonly string[], path: string): void {
  const bad = (what: string) => fail(path, 'default-matches-type', `"${value}" is not ${what}`);
  if (type === 'integer' && !/^\s*[-+]?\d{1,15}\s*$/.test(value)) bad('an integer');
  if (type === 'boolean' && flagWords[value.trim().toLowerCase()] === undefined) bad('a boolean');
  if (type === 'select' && !options.includes(value)) bad(`one of ${options.join(', ')}`);
}

function readParameter(el: XmlElement, path: string): AgentParameter {
  const name = attr(el, 'name');
  if (!name) fail(`${path}/@name`, 'parameter-name', 'a parameter needs a name');
  const content = single(el, path, 'content');
  if (!content) {
    fail(`${path}/content`, 'parameter-content', `parameter ${name} needs <content type="…">`);
  }
  const [contentEl, contentPath] = content;
  const type = attr(contentEl, 'type') ?? '';
  if (!/^[a-z][a-z0-9_-]*$/i.test(type)) {
    fail(
      `${contentPath}/@type`,
      'parameter-type',
      `"${type}" is not a parameter type (${knownTypes.join(', ')}, …)`,
    );
  }
  const options = indexed(contentEl, contentPath, 'option').map(([o, op]) => {
    const value = attr(o, 'value');
    if (value === undefined) fail(`${op}/@value`, 'option-value', 'an option needs a value');
    return value;
  });
  if (type === 'select' && options.length === 0) {
    fail(contentPath, 'select-options', `select parameter ${name} lists no <option value="…">`);
  }
  // Installed agents often write default="" for "no default"; only a string can be empty.
  const written = attr(contentEl, 'default');
  const defaultValue = written === '' && type !== 'string' ? undefined : written;
  if (defaultValue !== undefined) {
    checkDefault(type, defaultValue, options, `${contentPath}/@default`);
  }
  const inherit = attr(el, 'inherit');
  if (inherit !== undefined && !/^([A-Za-z0-9_:-]+%)?[A-Za-z0-9_]+$/.test(inherit)) {
    fail(`${path}/@inherit`, 'inherit-form', `"${inherit}" is neither ATTR nor TYPE%ATTR`);
  }
  return {
    name,
    type,
    required: flag(el, path, 'required'),
    unique: flag(el, path, 'unique'),
    primary: flag(el, path, 'primary'),
    reconfig: flag(el, path, 'reconfig'),
    inherit,
    defaultValue,
    options,
    shortDescription: description(el, 'shortdesc'),
    longDescription: description(el, 'longdesc'),
  };
}

function duration(el: XmlElement, path: string, name: string): number | undefined {
  const value = attr(el, name);
  if (value === undefined) return undefined;
  const ms = parseOcfDurationMs(value);
  if (ms === undefined) {
    fail(`${path}/@${name}`, 'action-duration', `"${value}" is not a duration such as 20s or 1m`);
  }
  return ms / 1000;
}

function readAction(el: XmlElement, path: string): AgentAction {
  const name = attr(el, 'name');
  if (!name) fail(`${path}/@name`, 'action-name', 'an action needs a name');
  return {
    name,
    timeoutS: duration(el, path, 'timeout'),
    intervalS: duration(el, path, 'interval'),
    depth: nonNegativeInteger(el, path, 'depth', 'action-depth'),
  };
}

function readChildType(el: XmlElement, path: string): ChildType {
  const type = attr(el, 'type');
  if (!type) fail(`${path}/@type`, 'child-type', 'a child needs a type');
  const start = nonNegativeInteger(el, path, 'start', 'child-level') ?? 0;
  const stop = nonNegativeInteger(el, path, 'stop', 'child-level') ?? 0;
  // With only one level, rgmanager never ran the other operation on such children.
  if ((start === 0) !== (stop === 0)) {
    fail(path, 'child-levels-paired', `child type ${type} needs both a start and a stop level`);
  }
  return { type, start, stop, forbid: flag(el, path, 'forbid') };
}

interface Special {
  root: boolean;
  maxInstances: number | undefined;
  childTypes: ChildType[];
}

function readSpecial(root: XmlElement): Special {
  const out: Special = { root: false, maxInstances: undefined, childTypes: [] };
  for (const [special, sp] of indexed(root, '/resource-agent', 'special')) {
    if (attr(special, 'tag') !== 'rgmanager') continue;
    const attributes = single(special, sp, 'attributes');
    if (attributes) {
      const [a, ap] = attributes;
      out.root = flag(a, ap, 'root');
      const max = nonNegativeInteger(a, ap, 'maxinstances', 'max-instances');
      if (max === 0)
        fail(`${ap}/@maxinstances`, 'max-instances', 'maxinstances must be at least 1');
      out.maxInstances = max;
    }
    for (const [c, cp] of indexed(special, sp, 'child')) {
      const child = readChildType(c, cp);
      if (out.childTypes.some((t) => t.type === child.type)) {
        fail(`${cp}/@type`, 'child-type-unique', `child type ${child.type} is listed twice`);
      }
      out.childTypes.push(child);
    }
  }
  return out;
}

function checkParameters(parameters: readonly AgentParameter[]): void {
  const seen = new Set<string>();
  let primary: string | undefined;
  parameters.forEach((p, i) => {
    const path = `/resource-agent/parameters/parameter[${i + 1}]`;
    if (seen.has(p.name)) {
      fail(`${path}/@name`, 'parameter-unique', `parameter ${p.name} is defined twice`);
    }
    seen.add(p.name);
    if (p.primary && primary !== undefined) {
      fail(`${path}/@primary`, 'single-primary', `${p.name} and ${primary} are both primary`);
    }
    if (p.primary) primary = p.name;
  });
}

// Agents print `<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">`. A reference to an external
// DTD defines nothing this parser reads, so it is dropped; an internal subset (`[…]`) could
// define entities and is left for parseXml to refuse.
const externalDoctype =
  /<!DOCTYPE\s+[\w.:-]+(?:\s+(?:SYSTEM|PUBLIC(?:\s+(?:"[^"]*"|'[^']*')))\s+(?:"[^"]*"|'[^']*'))?\s*>/i;

/**
 * Reads an agent's `meta-data` output (OCF resource-agent API 1.0 with rgmanager's
 * `<special tag="rgmanager">`). Throws XmlInputError for text that is not XML and
 * AgentMetadataError, naming the element and the rule, for XML that is not valid meta-data.
 */
export function parseAgentMetadata(
  xmlText: string,
  options: ParseAgentMetadataOptions = {},
): AgentMetadata {
  const root = parseXml(xmlText.replace(externalDoctype, '')).root;
  if (root.name !== 'resource-agent') {
    fail(`/${root.name}`, 'root-element', 'meta-data must have <resource-agent> as its root');
  }
  const name = attr(root, 'name');
  if (!name) fail('/resource-agent/@name', 'agent-name', 'the agent needs a name');
  const params = single(root, '/resource-agent', 'parameters');
  const parameters = params
    ? indexed(params[0], params[1], 'parameter').map(([p, pp]) => readParameter(p, pp))
    : [];
  checkParameters(parameters);
  const acts = single(root, '/resource-agent', 'actions');
  const actions = acts
    ? indexed(acts[0], acts[1], 'action').map(([a, ap]) => readAction(a, ap))
    : [];
  const versionEl = single(root, '/resource-agent', 'version');
  return {
    type: options.type ?? name,
    // The OCF API version the agent speaks (not its own release), which the runner passes on
    // as OCF_RA_VERSION_MAJOR/MINOR; rgmanager assumed 1.0 when it was missing.
    version: (versionEl && textContent(versionEl[0])) || '1.0',
    // Fence agents write theirs as the root's attribute.
    shortDescription: description(root, 'shortdesc') || (attr(root, 'shortdesc') ?? ''),
    longDescription: description(root, 'longdesc'),
    parameters,
    actions,
    ...readSpecial(root),
  };
}

/** The attribute that names a resource of this type: its primary parameter, else `name`. */
export function primaryParameterName(meta: AgentMetadata): string {
  return meta.parameters.find((p) => p.primary)?.name ?? 'name';
}
