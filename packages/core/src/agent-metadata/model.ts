/**
 * What an agent's `meta-data` says about it (OCF resource-agent API 1.0, plus rgmanager's
 * `<special tag="rgmanager">` block). Validation, resource trees and the console's forms read
 * only this, never hand-written per-agent knowledge.
 */
export type ParameterType = 'string' | 'integer' | 'boolean' | 'select' | string;

export interface AgentParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly required: boolean;
  /** No two resources of this type may share the value. */
  readonly unique: boolean;
  /** The attribute that names the resource; `ref` points at it. */
  readonly primary: boolean;
  /** rgmanager: the value may change without a restart (NEEDRECONFIG rather than NEEDSTOP). */
  readonly reconfig: boolean;
  /** rgmanager: taken from the nearest ancestor (`fs` attribute name, or `service%nfslock`). */
  readonly inherit: string | undefined;
  readonly defaultValue: string | undefined;
  /** Allowed values for a `select` parameter. */
  readonly options: readonly string[];
  readonly shortDescription: string;
  readonly longDescription: string;
}

export interface AgentAction {
  readonly name: string;
  /** Seconds. */
  readonly timeoutS: number | undefined;
  /** Seconds; 0 or undefined for one-shot actions. */
  readonly intervalS: number | undefined;
  readonly depth: number | undefined;
}

/**
 * rgmanager's typed child: children of this type start at level `start` and stop at level
 * `stop` (both 0: listed without levels, so they run with the untyped children). A `forbid`
 * entry says the type may not be a child at all.
 */
export interface ChildType {
  readonly type: string;
  readonly start: number;
  readonly stop: number;
  readonly forbid: boolean;
}

export interface AgentMetadata {
  /** The element name in cluster.conf (`ip`, `fs`, `ocf:heartbeat:IPaddr2`, …). */
  readonly type: string;
  readonly version: string;
  readonly shortDescription: string;
  readonly longDescription: string;
  readonly parameters: readonly AgentParameter[];
  readonly actions: readonly AgentAction[];
  /** rgmanager special: may appear directly under `<rm>` as a service root. */
  readonly root: boolean;
  /** rgmanager special: how many references one resource may have (undefined: unlimited). */
  readonly maxInstances: number | undefined;
  /** rgmanager special: ordering of typed children (empty: document order). */
  readonly childTypes: readonly ChildType[];
}

/** Metadata for the types a cluster knows, by element name. */
export type AgentCatalog = ReadonlyMap<string, AgentMetadata>;
