// For tests: whether Debian's resource-agents and fence-agents are installed. Missing ones
// skip the tests with a message, except under CI=true, where .ci/run installs them.
import { accessSync, constants } from 'node:fs';

export const debianDummyAgent = '/usr/lib/ocf/resource.d/heartbeat/Dummy';
export const debianIpAddr2Agent = '/usr/lib/ocf/resource.d/heartbeat/IPaddr2';
export const debianFenceDummy = '/usr/sbin/fence_dummy';

function missing(paths: readonly string[]): string | undefined {
  for (const path of paths) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return `${path} is not installed (apt-get install resource-agents fence-agents)`;
    }
  }
  return undefined;
}

/** The reason to skip, after failing loudly under CI=true. */
export function debianAgentsSkipReason(): string | undefined {
  const reason = missing([debianDummyAgent, debianIpAddr2Agent, debianFenceDummy]);
  if (reason && process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  if (reason) console.warn(`skipping Debian agent tests: ${reason}`);
  return reason;
}
