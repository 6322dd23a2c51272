import type {
  ClusterStatus,
  CommittedConfig,
  ControlAction,
  ControlResult,
} from '@quorate/protocol';

/**
 * What the control socket needs from the agent: the daemon implements it over its
 * `ClusterNode`, resource manager and fence runner; tests implement it with plain data.
 * The server validates every request before calling it and every answer before sending it.
 */
export interface ControlProvider {
  /** The cluster as this agent sees it now (clustat, cman_tool status/nodes/version). */
  status(): ClusterStatus | Promise<ClusterStatus>;
  /**
   * The newest committed cluster.conf (`config_version` and exact text), null before there is
   * one. Online ccs_tool edits it and proposes the result with `config-update`.
   */
  clusterConf(): CommittedConfig | null | Promise<CommittedConfig | null>;
  /**
   * Carries out one administrator's action and answers with the result of the same `type`:
   * - `rm` (clusvcadm): `{ type: 'rm', code, message, detail?, owner, locked? }` with the core's
   *   `rgResults` code and message; `locked` answers query-lock;
   * - `node` (cman_tool expected/votes/leave/kill/join): `{ type: 'node', ok, message }`;
   * - `fence-ack` (fence_ack_manual): `{ type: 'fence-ack', ok, message }`, refused for a
   *   node that is a live member;
   * - `config-update` (ccs_tool update, cman_tool version -r): the core's proposal result, with
   *   `previousVersion` when accepted.
   * A thrown error is answered as CONTROL_REQUEST_FAILED and logged.
   */
  request(action: ControlAction): Promise<ControlResult>;
}
