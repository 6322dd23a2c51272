// Where an agent type's executable lives: built-in rgmanager types in @quorate/agents, any
// installed OCF agent (`ocf:PROVIDER:TYPE`) under $OCF_ROOT/resource.d/PROVIDER/TYPE.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isSea } from 'node:sea';

export const defaultOcfRoot = '/usr/lib/ocf';

/** Where the agent bundle keeps the built-in agents, from its `bin/` (bundle/README.md). */
export const bundledAgentsPath = '../lib/ocf/resource.d/quorate';

/**
 * The built-in agents' folder: beside the single executable when running as the agent bundle
 * (a bundled script has no module URL to resolve a package from), else the @quorate/agents
 * package's `agents/`.
 */
export function defaultBuiltinAgentsDir(): string {
  if (isSea()) return bundledAgentsDir(process.execPath);
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@quorate/agents/package.json')), 'agents');
}

/** The bundle's agents for its executable; links (`bin/ricci`, a symlinked prefix) resolved. */
export function bundledAgentsDir(executablePath: string): string {
  return join(dirname(realpathSync(executablePath)), bundledAgentsPath);
}

export const builtinAgentTypes = ['ip', 'script', 'fs', 'netfs', 'nfsexport', 'nfsclient'] as const;

export interface AgentLocation {
  readonly path: string;
  /** OCF_RESOURCE_TYPE: the type without `ocf:PROVIDER:`. */
  readonly resourceType: string;
  /** OCF_RESOURCE_PROVIDER, for `ocf:` agents. */
  readonly provider: string | undefined;
}

// A provider or type name is one path segment: no traversal out of resource.d.
const segment = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** The executable for a type, or a message saying why there is none. */
export function locateResourceAgent(
  type: string,
  dirs: { readonly ocfRoot: string; readonly builtinAgentsDir: string },
): AgentLocation | { readonly error: string } {
  const ocf = /^ocf:([^:]+):([^:]+)$/.exec(type);
  if (ocf) {
    const provider = ocf[1]!;
    const name = ocf[2]!;
    if (!segment.test(provider) || !segment.test(name)) {
      return { error: `type ${type}: provider and agent must be plain names` };
    }
    const path = join(dirs.ocfRoot, 'resource.d', provider, name);
    return { path, resourceType: name, provider };
  }
  if ((builtinAgentTypes as readonly string[]).includes(type)) {
    return { path: join(dirs.builtinAgentsDir, type), resourceType: type, provider: undefined };
  }
  return { error: `type ${type}: no built-in agent of that type (use ocf:PROVIDER:TYPE)` };
}
