// What the harness needs from the machine. Tests skip with a message when something is missing,
// except under CI=true, where a missing requirement is a failure (.ci/run installs the tools).
import { spawnSync } from 'node:child_process';

const tools: Array<[string, string[]]> = [
  ['ip', ['netns', 'list']],
  ['nsenter', ['--version']],
  ['unshare', ['--version']],
  ['nft', ['--version']],
  ['arping', ['-V']],
];

/** Why the harness cannot run here, or undefined when it can. */
export function missingRequirement(): string | undefined {
  if (process.platform !== 'linux') return `test hosts need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'test hosts need root (network and mount namespaces)';
  for (const [tool, args] of tools) {
    const result = spawnSync(tool, args, { stdio: 'ignore' });
    if (result.error || result.status !== 0) {
      return `test hosts need \`${tool} ${args.join(' ')}\` to work (is it installed?)`;
    }
  }
  return undefined;
}

/**
 * For test files: the reason to skip, after failing loudly under CI=true, where every
 * requirement must be met.
 */
export function e2eSkipReason(): string | undefined {
  const missing = missingRequirement();
  if (missing && process.env.CI === 'true') throw new Error(`CI=true but ${missing}`);
  if (missing) console.warn(`skipping test-host tests: ${missing}`);
  return missing;
}
