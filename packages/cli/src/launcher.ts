import { createInterface } from 'node:readline';
import type { CommandIo, RunOptions } from './command-io.js';

// What the bin/ launchers pass to the commands: the process's streams and terminal, and
// SIGINT/SIGTERM as the end of `clustat -i` and `cman_tool wait`.

export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
    readLine: (prompt) =>
      new Promise<string | null>((resolve) => {
        const lines = createInterface({
          input: process.stdin,
          output: process.stdout,
          terminal: false,
        });
        let answered = false;
        lines.question(prompt, (answer) => {
          answered = true;
          lines.close();
          resolve(answer);
        });
        lines.once('close', () => {
          if (!answered) resolve(null);
        });
      }),
  };
}

export function processRunOptions(): RunOptions {
  const interrupted = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted.abort();
      // clustat -i and cman_tool wait end on the abort; anything else ends as SIGINT would.
      setTimeout(() => process.exit(130), 200).unref();
    });
  }
  return { signal: interrupted.signal };
}
