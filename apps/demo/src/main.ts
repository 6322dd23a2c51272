// `pnpm demo` (bin/quorate-demo builds first, then calls this).
import { runDemo } from './demo.js';
import { DEMO_USAGE, DemoOptionsError, parseDemoArgs } from './demo-options.js';
import { runOnTestHosts } from './test-host-mode.js';

export async function demoMain(args: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseDemoArgs>;
  try {
    options = parseDemoArgs(args, process.env);
  } catch (error) {
    if (!(error instanceof DemoOptionsError)) throw error;
    process.stderr.write(`quorate demo: ${error.message}\n${DEMO_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  if (options.testHosts) return runOnTestHosts(options.consolePort);
  // Ctrl-C reaches this process only: every process the demo starts leads its own group.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return runDemo(options, { out: (line) => process.stdout.write(`${line}\n`) }, stopped);
}
