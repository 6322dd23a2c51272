import type { CliIo } from './ccs-tool/main.js';

/** What the online commands read and write besides stdout and stderr. */
export interface CommandIo extends CliIo {
  /** The terminal's width when stdout is a terminal: clustat sizes its columns to it. */
  readonly columns?: number;
  /** Shows `prompt` and reads one line typed by the user; null at the end of input. */
  readLine?(prompt: string): Promise<string | null>;
}

/** The wall clock, injected so that printed times are reproducible in tests. */
export interface WallClock {
  nowMs(): number;
  /** Minutes east of UTC at `ms` (local time is UTC plus this), as ctime's local time uses. */
  utcOffsetMinutes(ms: number): number;
}

export const systemClock: WallClock = {
  nowMs: () => Date.now(),
  utcOffsetMinutes: (ms) => -new Date(ms).getTimezoneOffset(),
};

export interface RunOptions {
  readonly clock?: WallClock;
  /** Ends `clustat -i` and `cman_tool wait` (SIGINT in the launchers). */
  readonly signal?: AbortSignal;
  /** How long to wait for the agent's answer to one request. */
  readonly timeoutMs?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;
