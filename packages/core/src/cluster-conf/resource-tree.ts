import type { ConfigIssue } from '@quorate/protocol';
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog, AgentMetadata, ChildType } from '../agent-metadata/model.js';
import { primaryParameterName } from '../agent-metadata/parse.js';
import type { ActionOverride, ClusterConf, ResourceConf } from './model.js';

/**
 * One resource in a service's tree, as rgmanager's restree.c built it: a `ref` resolved to
 * the global resource, inherited attributes filled in, children in the order the parent's
 * meta-data gives.
 */
export interface ResourceNode {
  readonly type: string;
  /** The value of the type's primary attribute: what `ref` points at. */
  readonly primaryValue: string;
  /**
   * The global resource's attributes (or the inline element's), then those written on the
   * referencing element (`__…` internals included), then inherited values. Meta-data
   * defaults are not filled in: the agent runner does that.
   */
  readonly attributes: Readonly<Record<string, string>>;
  /** Names of the attributes whose value came from an ancestor. */
  readonly inherited: readonly string[];
  /** `<action>` overrides: the global resource's, then the referencing element's. */
  readonly actions: readonly ActionOverride[];
  readonly children: readonly ResourceNode[];
  /** The child types of this node's own type: how its children start and stop. */
  readonly childTypes: readonly ChildType[];
  /** The element in the service tree (the referencing element for a `ref`). */
  readonly path: string;
  /** Where the resource is defined: under `<resources>`, or `path` itself when inline. */
  readonly resourcePath: string;
  readonly inline: boolean;
}

/** One defined resource (rg_test's resource list), with how many tree nodes use it. */
export interface ResourceEntry {
  readonly type: string;
  readonly primaryValue: string;
  /** Parameters as written on the definition (not `ref`, not `__…`). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly path: string;
  readonly inline: boolean;
  readonly references: number;
}

export interface ResourceTrees {
  /** One tree per service root (`service`, `vm`) under `<rm>`, in document order. */
  readonly trees: readonly ResourceNode[];
  /** Global resources in document order, then inline ones in the order the trees use them. */
  readonly resources: readonly ResourceEntry[];
  readonly problems: readonly ConfigIssue[];
}

interface MutableEntry extends ResourceEntry {
  references: number;
  readonly actions: readonly ActionOverride[];
}

/** A resource above another in a service's tree, as inheritance sees it. */
export interface Ancestor {
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const entryKey = (type: string, value: string) => `${type}\u0000${value}`;

class TreeBuilder {
  readonly problems: ConfigIssue[] = [];
  readonly globals = new Map<string, MutableEntry>();
  readonly inlines = new Map<string, MutableEntry>();
  /** Inline definitions anywhere in the trees, to tell "inline" from "missing" for a `ref`. */
  readonly inlineKeys = new Set<string>();

  constructor(readonly catalog: AgentCatalog) {}

  warn(path: string, rule: string, message: string): void {
    this.problems.push({ severity: 'warning', path, rule, message });
  }

  error(path: string, rule: string, message: string): void {
    this.problems.push({ severity: 'error', path, rule, message });
  }

  /** The metadata of a known type; unknown types are skipped, as rgmanager did, with a warning. */
  metaOf(res: ResourceConf): AgentMetadata | undefined {
    const meta = this.catalog.get(res.type);
    if (!meta) {
      this.warn(res.path, 'unknown-resource-type', `no agent meta-data for type ${res.type}`);
    }
    return meta;
  }

  primaryOf(res: ResourceConf, meta: AgentMetadata): string | undefined {
    const name = primaryParameterName(meta);
    const value = res.params[name];
    if (value === undefined) {
      this.error(
        res.path,
        'missing-attribute',
        `a ${res.type} needs its primary attribute ${name}`,
      );
    }
    return value;
  }

  defineGlobals(resources: readonly ResourceConf[]): void {
    for (const res of resources) {
      const meta = this.metaOf(res);
      const value = meta && this.primaryOf(res, meta);
      if (meta === undefined || value === undefined) continue;
      const key = entryKey(res.type, value);
      const earlier = this.globals.get(key);
      if (earlier) {
        this.error(
          res.path,
          'duplicate-resource',
          `${res.type} ${value} is already defined at ${earlier.path}`,
        );
        continue;
      }
      if (res.children.length > 0) {
        this.warn(
          res.path,
          'ignored-children',
          'resources nested in a global resource are ignored; nest them under its reference',
        );
      }
      this.globals.set(key, newEntry(res, value, false));
    }
  }

  collectInlineKeys(res: ResourceConf): void {
    if (res.ref === undefined) {
      const meta = this.catalog.get(res.type);
      const value = meta && res.params[primaryParameterName(meta)];
      if (value !== undefined) this.inlineKeys.add(entryKey(res.type, value));
    }
    for (const child of res.children) this.collectInlineKeys(child);
  }

  /** The resource a tree element stands for: the global one it refers to, or its own. */
  resolve(res: ResourceConf, meta: AgentMetadata): MutableEntry | undefined {
    if (res.ref !== undefined) {
      const found = this.globals.get(entryKey(res.type, res.ref));
      if (found) return found;
      if (this.inlineKeys.has(entryKey(res.type, res.ref))) {
        this.error(
          `${res.path}/@ref`,
          'ref-to-inline-resource',
          `Reference to inlined resource ${res.ref} (type ${res.type}) is illegal`,
        );
      } else {
        this.error(
          `${res.path}/@ref`,
          'unknown-resource-ref',
          `Reference to nonexistent resource ${res.ref} (type ${res.type})`,
        );
      }
      return undefined;
    }
    const value = this.primaryOf(res, meta);
    if (value === undefined) return undefined;
    const key = entryKey(res.type, value);
    const earlier = this.globals.get(key) ?? this.inlines.get(key);
    if (earlier) {
      this.error(
        res.path,
        'duplicate-resource',
        `${res.type} ${value} is already defined at ${earlier.path}; use ref="${value}"`,
      );
      return undefined;
    }
    const entry = newEntry(res, value, true);
    this.inlines.set(key, entry);
    return entry;
  }

  /** rgmanager dropped references beyond the type's maxinstances with this warning. */
  admit(res: ResourceConf, meta: AgentMetadata, entry: MutableEntry): boolean {
    if (meta.maxInstances !== undefined && entry.references >= meta.maxInstances) {
      this.warn(
        res.path,
        'max-instances-exceeded',
        `Max references exceeded for resource ${primaryParameterName(meta)} (type ${res.type})`,
      );
      return false;
    }
    entry.references++;
    return true;
  }

  attributesOf(
    res: ResourceConf,
    meta: AgentMetadata,
    entry: MutableEntry,
    ancestors: readonly Ancestor[],
  ): { attributes: Record<string, string>; inherited: string[] } {
    const attributes: Record<string, string> = { ...entry.attributes };
    if (res.ref !== undefined) {
      const primary = primaryParameterName(meta);
      for (const [name, value] of Object.entries(res.params)) {
        if (name === primary) continue;
        if (attributes[name] !== undefined && attributes[name] !== value) {
          this.warn(
            `${res.path}/@${name}`,
            'reference-overrides-attribute',
            `${name}="${value}" on this reference replaces "${attributes[name]}" of ${entry.path}`,
          );
        }
        attributes[name] = value;
      }
    }
    Object.assign(attributes, res.internals);
    const inherited: string[] = [];
    for (const p of meta.parameters) {
      if (p.inherit === undefined || attributes[p.name] !== undefined) continue;
      const value = inheritedValue(p.inherit, ancestors);
      if (value !== undefined) {
        attributes[p.name] = value;
        inherited.push(p.name);
      }
    }
    return { attributes, inherited };
  }

  node(
    res: ResourceConf,
    meta: AgentMetadata,
    ancestors: readonly Ancestor[],
  ): ResourceNode | undefined {
    const entry = this.resolve(res, meta);
    if (!entry || !this.admit(res, meta, entry)) return undefined;
    const { attributes, inherited } = this.attributesOf(res, meta, entry, ancestors);
    const lineage = [...ancestors, { type: res.type, attributes }];
    const children: ResourceNode[] = [];
    for (const [child, childMeta] of this.orderedChildren(res, meta)) {
      const built = this.node(child, childMeta, lineage);
      if (built) children.push(built);
    }
    return {
      type: res.type,
      primaryValue: entry.primaryValue,
      attributes,
      inherited,
      actions: res.ref === undefined ? res.actions : [...entry.actions, ...res.actions],
      children,
      childTypes: meta.childTypes,
      path: res.path,
      resourcePath: entry.path,
      inline: entry.inline,
    };
  }

  /**
   * Children with a levelled type of the parent first, by start level (ties: the order the
   * parent lists the types, then the document); everything else after them in document order.
   */
  orderedChildren(res: ResourceConf, meta: AgentMetadata): Array<[ResourceConf, AgentMetadata]> {
    const keyed: Array<{ child: ResourceConf; meta: AgentMetadata; key: number[] }> = [];
    res.children.forEach((child, doc) => {
      const childMeta = this.metaOf(child);
      if (!childMeta) return;
      if (childMeta.root) {
        this.error(
          child.path,
          'not-a-root-type',
          `a ${child.type} cannot be nested in a ${res.type}`,
        );
        return;
      }
      const rank = meta.childTypes.findIndex((c) => c.type === child.type);
      const childType = meta.childTypes[rank];
      if (childType?.forbid) {
        this.error(child.path, 'forbidden-child', `a ${res.type} may not contain a ${child.type}`);
        return;
      }
      const key =
        childType && childType.start > 0 ? [0, childType.start, rank, doc] : [1, 0, 0, doc];
      keyed.push({ child, meta: childMeta, key });
    });
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    return keyed.map((k) => [k.child, k.meta]);
  }
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function newEntry(res: ResourceConf, value: string, inline: boolean): MutableEntry {
  return {
    type: res.type,
    primaryValue: value,
    attributes: res.params,
    path: res.path,
    inline,
    references: 0,
    actions: res.actions,
  };
}

/** `TYPE%ATTR` takes ATTR of the nearest ancestor of TYPE; `ATTR` of the nearest that has it. */
export function inheritedValue(spec: string, ancestors: readonly Ancestor[]): string | undefined {
  const cut = spec.indexOf('%');
  const type = cut < 0 ? undefined : spec.slice(0, cut);
  const name = cut < 0 ? spec : spec.slice(cut + 1);
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (type !== undefined && a.type !== type) continue;
    const value = a.attributes[name];
    if (value !== undefined || type !== undefined) return value;
  }
  return undefined;
}

/**
 * Builds the resource tree of every service root under `<rm>`, as rgmanager did before it ran
 * anything: resolving `ref`s against `<resources>`, counting references against each type's
 * maxinstances, inheriting attributes and ordering children by type. Never throws; what
 * cannot be built is left out and said in `problems`.
 */
export function buildResourceTrees(
  conf: ClusterConf,
  catalog: AgentCatalog = builtinAgentCatalog,
): ResourceTrees {
  const b = new TreeBuilder(catalog);
  const rm = conf.rm;
  if (!rm) return { trees: [], resources: [], problems: [] };
  b.defineGlobals(rm.resources);
  for (const root of rm.services) b.collectInlineKeys(root);
  const trees: ResourceNode[] = [];
  for (const root of rm.services) {
    const meta = b.metaOf(root);
    if (!meta) continue;
    if (!meta.root) {
      b.error(root.path, 'not-a-root-type', `a ${root.type} cannot stand directly under <rm>`);
      continue;
    }
    const tree = b.node(root, meta, []);
    if (tree) trees.push(tree);
  }
  return {
    trees,
    resources: [...b.globals.values(), ...b.inlines.values()].map(({ actions: _, ...e }) => e),
    problems: b.problems,
  };
}
