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
