// What a running process costs, read from /proc: CPU time in clock ticks and resident memory.
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of the times in /proc/PID/stat on Linux. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuTicks {
  /** utime + stime: the process's own threads. */
  readonly own: number;
  /** cutime + cstime: its children that have ended and been waited for (agent runs). */
  readonly children: number;
}

export function readCpuTicks(pid: number): CpuTicks {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: field 14 (utime) is index 11 here.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (index: number) => Number(fields[index]);
  return { own: field(11) + field(12), children: field(13) + field(14) };
}

/** VmRSS in MiB, one decimal. */
export function readResidentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

/** Share of one core used between two readings `seconds` apart, in percent with one decimal. */
export function cpuPercent(before: number, after: number, seconds: number): number {
  return Math.round(((after - before) / CLOCK_TICKS_PER_SECOND / seconds) * 1000) / 10;
}
