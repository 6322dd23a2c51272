// What a run writes down as it goes, so that another process can clean it up after a crash:
// a manifest (owner and hosts) written before anything is created, and one line per process.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runPaths, runsBaseDir } from './layout.js';
import type { ProcessIdentity } from './procfs.js';

export interface RunManifest {
  runId: string;
  /** The process that built the network; the run is stale once it is gone. */
  owner: ProcessIdentity;
  createdAt: string;
  hosts: string[];
  subnet: string;
}

export interface ProcessRecord extends ProcessIdentity {
  host: string;
  argv: string[];
}

export function writeManifest(manifest: RunManifest): void {
  writeFileSync(runPaths(manifest.runId).manifest, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readManifest(runId: string): RunManifest | undefined {
  const path = runPaths(runId).manifest;
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
}

/** Appended synchronously: a process that dies right after starting one still leaves its record. */
export function appendProcessRecord(runId: string, record: ProcessRecord): void {
  appendFileSync(runPaths(runId).pidLog, `${JSON.stringify(record)}\n`);
}

export function readProcessRecords(runId: string): ProcessRecord[] {
  const path = runPaths(runId).pidLog;
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as ProcessRecord];
      } catch {
        // A line torn by a crash mid-write names no usable process.
        return [];
      }
    });
}

/** Run ids that have a folder under the runs base folder. */
export function listRunIds(): string[] {
  if (!existsSync(runsBaseDir)) return [];
  return readdirSync(runsBaseDir).filter((name) => /^[a-z0-9]{6}$/.test(name));
}
