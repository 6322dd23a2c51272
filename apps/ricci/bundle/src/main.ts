// `pnpm bundle` runs this (after `tsc -b`): builds the archive and prints what it measured.
import { buildBundle } from './build.js';

try {
  const summary = await buildBundle();
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`bundle: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
