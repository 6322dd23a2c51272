import type { ErrorCode } from '@quorate/protocol';

/**
 * Edits of cluster.conf as data, so the console and the agent protocol can ship them as they
 * are. `applyEdit` turns one into a new configuration; every refusal is an `EditError`.
 *
 * Conventions: `params` maps attribute names to values; in an update, `null` removes the
 * attribute and an absent key leaves it alone. Names identify nodes, fence devices, methods,
 * domains and services; global resources are identified by type and primary attribute value.
 */

/** A per-node use of a fence device (`<device name="apc" port="1"/>`). */
export interface FenceDeviceUse {
  readonly device: string;
  /** Per-node arguments (port, action, …); never `name`. */
  readonly params?: Readonly<Record<string, string>>;
}

export interface DomainMember {
  readonly node: string;
  /** 1–100; meaningful only in an ordered domain. */
  readonly priority?: number;
}

/**
 * Where a child goes in a service tree: the indexes of resource children (ignoring `<action>`
 * overrides), 0-based, from the service down. `[]` is the service itself; `[1, 0]` is the first
 * child of the service's second child.
 */
export type TreePath = readonly number[];

/** A resource in a service tree: a `ref` to a global resource or a resource defined inline. */
export type TreeResource =
  | { readonly type: string; readonly ref: string }
  | { readonly type: string; readonly params: Readonly<Record<string, string>> };

export type AttrChanges = Readonly<Record<string, string | null>>;

/** The member of `ConfigEdit` with operation `K`. */
export type EditOf<K extends ConfigEdit['op']> = Extract<ConfigEdit, { op: K }>;

export type ConfigEdit =
  | {
      readonly op: 'addNode';
      readonly name: string;
      /** Lowest free id (≥ 1) when absent. */
      readonly nodeid?: number;
      readonly votes?: number;
      readonly altname?: string;
      /** Adds method "single" with this device, as `ccs_tool addnode -f` does. */
      readonly fence?: FenceDeviceUse;
    }
  /** Also removes the node from every failover domain. */
  | { readonly op: 'deleteNode'; readonly name: string }
  | {
      readonly op: 'setNodeProperties';
      readonly name: string;
      readonly nodeid?: number;
      /** `null` removes the attribute (the default of 1 applies). */
      readonly votes?: number | null;
      /** Sets the first `<altname>`, or removes every `<altname>` with `null`. */
      readonly altname?: string | null;
    }
  | {
      readonly op: 'addFenceDevice';
      readonly name: string;
      readonly agent: string;
      readonly params?: Readonly<Record<string, string>>;
    }
  | {
      readonly op: 'updateFenceDevice';
      readonly name: string;
      readonly agent?: string;
      readonly params?: AttrChanges;
    }
  /** Refused while any node's method or unfence section uses the device. */
  | { readonly op: 'deleteFenceDevice'; readonly name: string }
  | { readonly op: 'addFenceMethod'; readonly node: string; readonly method: string }
  | { readonly op: 'deleteFenceMethod'; readonly node: string; readonly method: string }
  | {
      readonly op: 'addMethodDevice';
      readonly node: string;
      readonly method: string;
      readonly use: FenceDeviceUse;
    }
  /** Removes every use of the device in that method. */
  | {
      readonly op: 'deleteMethodDevice';
      readonly node: string;
      readonly method: string;
      readonly device: string;
    }
  | { readonly op: 'addUnfenceDevice'; readonly node: string; readonly use: FenceDeviceUse }
  | { readonly op: 'deleteUnfenceDevice'; readonly node: string; readonly device: string }
  | {
      readonly op: 'addFailoverDomain';
      readonly name: string;
      readonly ordered?: boolean;
      readonly restricted?: boolean;
      readonly nofailback?: boolean;
      readonly members?: readonly DomainMember[];
    }
  | {
      readonly op: 'updateFailoverDomain';
      readonly name: string;
      readonly ordered?: boolean;
      readonly restricted?: boolean;
      readonly nofailback?: boolean;
    }
  /** Refused while a service names the domain. */
  | { readonly op: 'deleteFailoverDomain'; readonly name: string }
  /** Adds the member, or changes its priority (`null` removes the priority). */
  | {
      readonly op: 'setDomainMember';
      readonly domain: string;
      readonly node: string;
      readonly priority?: number | null;
    }
  | { readonly op: 'deleteDomainMember'; readonly domain: string; readonly node: string }
  | {
      readonly op: 'addResource';
      readonly type: string;
      readonly params: Readonly<Record<string, string>>;
    }
  | {
      readonly op: 'updateResource';
      readonly type: string;
      readonly primary: string;
      readonly params: AttrChanges;
    }
  /** Refused while a `ref` in any service tree points at it. */
  | { readonly op: 'deleteResource'; readonly type: string; readonly primary: string }
  | {
      readonly op: 'addService';
      readonly name: string;
      /** `vm` for a virtual machine service. */
      readonly kind?: 'service' | 'vm';
      readonly attrs?: Readonly<Record<string, string>>;
    }
  | { readonly op: 'updateService'; readonly name: string; readonly attrs: AttrChanges }
  | { readonly op: 'deleteService'; readonly name: string }
  | {
      readonly op: 'addServiceResource';
      readonly service: string;
      /** The parent in the tree (`[]`: the service itself). */
      readonly parent: TreePath;
      readonly resource: TreeResource;
    }
  /** Removes the resource and everything below it. */
  | { readonly op: 'deleteServiceResource'; readonly service: string; readonly at: TreePath }
  | { readonly op: 'setClusterProperties'; readonly changes: ClusterPropertyChanges };

/** Cluster-wide settings; `null` removes the attribute so the default applies. */
export interface ClusterPropertyChanges {
  readonly alias?: string | null;
  readonly cman?: {
    readonly twoNode?: boolean | null;
    readonly expectedVotes?: number | null;
    readonly transport?: 'udp' | 'udpu' | null;
    readonly port?: number | null;
    /** cman's `wait_for_all`: a cluster starting from cold waits to see every voter once. */
    readonly waitForAll?: boolean | null;
  };
  readonly totem?: { readonly tokenMs?: number | null; readonly consensusMs?: number | null };
  readonly fenceDaemon?: {
    readonly postJoinDelayS?: number | null;
    readonly postFailDelayS?: number | null;
  };
  /** `<rm>` attributes (log_level, status_poll_interval, central_processing, …). */
  readonly rm?: AttrChanges;
}

/** A new configuration, as `ccs_tool create [-2] [-n N] [-f AGENT] NAME` writes it. */
export interface CreateClusterSpec {
  readonly name: string;
  readonly twoNode?: boolean;
  /** Skeleton nodes `NEEDNAME-01`…; 2 by default with `twoNode`, else 0. */
  readonly nodeCount?: number;
  /** Agent of the skeletons' shared device `fence1` (default fence_manual). */
  readonly fenceAgent?: string;
}

/** An edit that cannot be applied. `path` names the field, `reason` the rule. */
export class EditError extends Error {
  readonly code: ErrorCode = 'EDIT_REJECTED';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'EditError';
  }
}
