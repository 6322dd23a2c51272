import type { XmlDocument, XmlElement } from '../xml/xml-tree.js';

/**
 * Typed views of cluster.conf, read from the ordered XML tree (which stays the source of truth,
 * so nothing unknown is ever lost). Every view carries the element it was read from and its
 * XPath-like `path`, so validation and edits can point at the exact place. Numbers are
 * `undefined` when absent *or* not a valid integer: validation reports the latter from `attrs`.
 */
export interface Located {
  readonly path: string;
  readonly el: XmlElement;
  /** Every attribute as written, in document order. */
  readonly attrs: Readonly<Record<string, string>>;
}

export interface CmanConf extends Located {
  readonly twoNode: boolean;
  readonly expectedVotes: number | undefined;
  readonly transport: string | undefined;
  readonly port: number | undefined;
  readonly clusterId: number | undefined;
  readonly multicastAddr: string | undefined;
}

export interface TotemConf extends Located {
  /** Token timeout in milliseconds (default 1000). */
  readonly tokenMs: number;
}

export interface QuorumdHeuristic extends Located {
  readonly program: string | undefined;
  readonly score: number | undefined;
  readonly interval: number | undefined;
  readonly tko: number | undefined;
}

export interface QuorumdConf extends Located {
  readonly votes: number | undefined;
  readonly interval: number | undefined;
  readonly tko: number | undefined;
  readonly minScore: number | undefined;
  readonly device: string | undefined;
  readonly label: string | undefined;
  readonly heuristics: readonly QuorumdHeuristic[];
}

export interface FenceDaemonConf extends Located {
  readonly postJoinDelay: number;
  readonly postFailDelay: number;
  readonly cleanStart: boolean;
}

export interface FenceDeviceRef extends Located {
  readonly name: string;
  /** Per-node device arguments (port, action, …), everything but `name`. */
  readonly params: Readonly<Record<string, string>>;
}

export interface FenceMethod extends Located {
  readonly name: string;
  readonly devices: readonly FenceDeviceRef[];
}

export interface AltName extends Located {
  readonly name: string;
}

export interface ClusterNodeConf extends Located {
  readonly name: string;
  readonly nodeid: number | undefined;
  /** Defaults to 1. */
  readonly votes: number;
  readonly altnames: readonly AltName[];
  readonly fenceMethods: readonly FenceMethod[];
  readonly unfence: readonly FenceDeviceRef[];
}

export interface FenceDeviceConf extends Located {
  readonly name: string;
  readonly agent: string;
  /** Device arguments (ipaddr, login, passwd, …), everything but `name` and `agent`. */
  readonly params: Readonly<Record<string, string>>;
}

export interface FailoverDomainNode extends Located {
  readonly name: string;
  readonly priority: number | undefined;
}

export interface FailoverDomainConf extends Located {
  readonly name: string;
  readonly ordered: boolean;
  readonly restricted: boolean;
  readonly nofailback: boolean;
  readonly nodes: readonly FailoverDomainNode[];
}

/**
 * A resource element as written: a global one under `<resources>`, a service or vm under
 * `<rm>`, or any child in a service's tree. `type` is the element name, except for Quorate's
 * `<ocf agent="PROVIDER:TYPE">` extension, where it is `ocf:PROVIDER:TYPE`.
 */
export interface ResourceConf extends Located {
  readonly type: string;
  /** Attributes that are resource parameters (not `ref`, not `__…` internals). */
  readonly params: Readonly<Record<string, string>>;
  /** The `ref` attribute: this element uses a global resource by its primary attribute. */
  readonly ref: string | undefined;
  /** `__independent_subtree`, `__enforce_timeouts`, `__max_failures`, … as written. */
  readonly internals: Readonly<Record<string, string>>;
  readonly actions: readonly ActionOverride[];
  readonly children: readonly ResourceConf[];
}

export interface ActionOverride extends Located {
  readonly name: string;
  readonly depth: string | undefined;
  readonly interval: string | undefined;
  readonly timeout: string | undefined;
}

export interface RmConf extends Located {
  readonly failoverDomains: readonly FailoverDomainConf[];
  readonly resources: readonly ResourceConf[];
  readonly resourceDefaults: Readonly<Record<string, string>>;
  /** `<service>`, `<vm>` and any other resource element directly under `<rm>`. */
  readonly services: readonly ResourceConf[];
  readonly events: readonly Located[];
  /** The legacy `<dependencies>` element's `<dependency>` children. */
  readonly dependencies: readonly Located[];
}

export interface ClusterConf {
  readonly doc: XmlDocument;
  readonly path: '/cluster';
  readonly attrs: Readonly<Record<string, string>>;
  readonly name: string | undefined;
  readonly configVersion: number | undefined;
  readonly alias: string | undefined;
  readonly cman: CmanConf | undefined;
  readonly totem: TotemConf | undefined;
  readonly quorumd: QuorumdConf | undefined;
  readonly fenceDaemon: FenceDaemonConf | undefined;
  readonly logging: Located | undefined;
  readonly nodes: readonly ClusterNodeConf[];
  readonly fenceDevices: readonly FenceDeviceConf[];
  readonly rm: RmConf | undefined;
}
