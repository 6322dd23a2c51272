// Removes everything a run made, from its run id alone: the processes (recorded ones, checked by
// start time, and any process living in the run's namespaces), the mounts under its folder, its
// network namespaces and its folder. Works whether the owner destroyed nothing, half of it, or
// all of it, and touches only names that carry the run id.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './command.js';
import { runNamespacePrefix, runPaths } from './layout.js';
import {
  isRunning,
  killUntilNone,
  type NamespaceId,
  namespaceIdOf,
  type ProcessIdentity,
  processesInNamespaces,
  readMounts,
} from './procfs.js';
import { listRunIds, readManifest, readProcessRecords } from './run-record.js';

const netnsDir = '/run/netns';

export interface SweepReport {
  runId: string;
  killedPids: number[];
  unmounted: string[];
  deletedNamespaces: string[];
  removedFolder: boolean;
}

/** The run's named network namespaces that still exist. */
export function runNetworkNamespaces(runId: string): string[] {
  const prefix = runNamespacePrefix(runId);
  if (!existsSync(netnsDir)) return [];
  return readdirSync(netnsDir)
    .filter((name) => name.startsWith(prefix))
    .sort();
}

/** Mount points in our mount namespace that lie in the run's folder, deepest first. */
export function runMountPoints(runId: string): string[] {
  const root = runPaths(runId).root;
  return readMounts()
    .map((entry) => entry.mountPoint)
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/** Every namespace the run owns: its netns files and its persistent mount and UTS files. */
function runNamespaceIds(runId: string): NamespaceId[] {
  const { nsDir } = runPaths(runId);
  const nsFiles = existsSync(nsDir) ? readdirSync(nsDir).map((name) => join(nsDir, name)) : [];
  const netns = runNetworkNamespaces(runId).map((name) => join(netnsDir, name));
  return [...netns, ...nsFiles]
    .map(namespaceIdOf)
    .filter((id): id is NamespaceId => id !== undefined);
}

/** Processes of the run that still run: recorded ones and any found inside its namespaces. */
export function runProcesses(runId: string): ProcessIdentity[] {
  const recorded = readProcessRecords(runId).filter(isRunning);
  const inside = processesInNamespaces(runNamespaceIds(runId));
  const byPid = new Map<number, ProcessIdentity>();
  for (const identity of [...recorded, ...inside]) byPid.set(identity.pid, identity);
  return [...byPid.values()];
}

/** SIGKILLs the run's processes, recorded or not, until none is left. */
export function killRunProcesses(runId: string): Promise<number[]> {
  return killUntilNone(() => runProcesses(runId));
}

export async function sweep(runId: string): Promise<SweepReport> {
  const killedPids = await killRunProcesses(runId);
  const unmounted: string[] = [];
  for (const point of runMountPoints(runId)) {
    const result = await runCommand('umount', [point]);
    if (result.code !== 0) await runCommand('umount', ['--lazy', point]);
    unmounted.push(point);
  }
  const deletedNamespaces: string[] = [];
  for (const name of runNetworkNamespaces(runId)) {
    const result = await runCommand('ip', ['netns', 'delete', name]);
    if (result.code !== 0) {
      throw new Error(`sweep ${runId}: ip netns delete ${name}: ${result.stderr.trim()}`);
    }
    deletedNamespaces.push(name);
  }
  const root = runPaths(runId).root;
  const removedFolder = existsSync(root);
  if (runMountPoints(runId).length > 0) {
    throw new Error(`sweep ${runId}: mounts remain under ${root}; the folder is kept`);
  }
  rmSync(root, { recursive: true, force: true });
  return { runId, killedPids, unmounted, deletedNamespaces, removedFolder };
}

/** A folder without a manifest may belong to an owner that is still writing it. */
function isYoung(folder: string): boolean {
  const manifestGraceMs = 60_000;
  return Date.now() - statSync(folder).mtimeMs < manifestGraceMs;
}

/**
 * Sweeps every run whose owning process is gone (a test process that crashed or was killed).
 * One run that cannot be swept (another process sweeping it at the same moment, a mount still
 * busy) does not keep the others: its error is reported in its place.
 */
export async function sweepStaleRuns(): Promise<Array<SweepReport | StaleRunError>> {
  const reports: Array<SweepReport | StaleRunError> = [];
  for (const runId of listRunIds()) {
    const manifest = readManifest(runId);
    if (manifest ? isRunning(manifest.owner) : isYoung(runPaths(runId).root)) continue;
    try {
      reports.push(await sweep(runId));
    } catch (error) {
      reports.push({ runId, error: (error as Error).message });
    }
  }
  return reports;
}

/** A dead run that `sweepStaleRuns` could not sweep, and why. */
export interface StaleRunError {
  runId: string;
  error: string;
}
