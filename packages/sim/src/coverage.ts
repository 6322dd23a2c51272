/** What a run exercised; summed over seeds so a report shows the simulator was trying. */
export interface Coverage {
  elections: number;
  leaderChanges: number;
  partitions: number;
  crashes: number;
  tornWrites: number;
  restarts: number;
  pauses: number;
  commits: number;
  messages: number;
  /** cluster.conf versions committed, and proposals refused (stale, inquorate, not leader). */
  configVersions: number;
  configRefusals: number;
  /** Committed versions that changed the voting set (nodes, votes, expected votes). */
  votingChanges: number;
  compactions: number;
  /** Snapshots a running node received from its leader. */
  snapshotsInstalled: number;
  /** two_node: fence operations that ran, and terms a lone node led after its fence entry. */
  fences: number;
  loneTerms: number;
  /** Clean leaves (`cman_tool leave`), each followed by a restart. */
  leaves: number;
  /** Services: agent operations run (failed or hung), resources that crashed on their own. */
  agentOps: number;
  agentFaults: number;
  resourceCrashes: number;
  /** Starts asked of agents, and service records that left a node. */
  serviceStarts: number;
  serviceMoves: number;
  /** Fence devices the controller ran, manual fences acknowledged, emergency stops. */
  controllerFences: number;
  manualAcks: number;
  emergencyStops: number;
  /** clusvcadm requests the simulated administrator made, and its fence_node requests. */
  adminRequests: number;
  fenceRequests: number;
}

export function emptyCoverage(): Coverage {
  return {
    elections: 0,
    leaderChanges: 0,
    partitions: 0,
    crashes: 0,
    tornWrites: 0,
    restarts: 0,
    pauses: 0,
    commits: 0,
    messages: 0,
    configVersions: 0,
    configRefusals: 0,
    votingChanges: 0,
    compactions: 0,
    snapshotsInstalled: 0,
    fences: 0,
    loneTerms: 0,
    leaves: 0,
    agentOps: 0,
    agentFaults: 0,
    resourceCrashes: 0,
    serviceStarts: 0,
    serviceMoves: 0,
    controllerFences: 0,
    manualAcks: 0,
    emergencyStops: 0,
    adminRequests: 0,
    fenceRequests: 0,
  };
}

export function addCoverage(total: Coverage, run: Coverage): void {
  for (const key of Object.keys(total) as (keyof Coverage)[]) total[key] += run[key];
}

export function formatCoverage(coverage: Coverage): string {
  return Object.entries(coverage)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
