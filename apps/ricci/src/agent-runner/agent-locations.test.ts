// Where the built-in agents are: the workspace package when run from the repository, the
// folder beside the executable when run as the agent bundle (a single executable application).
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { afterAll, describe, expect, it } from 'vitest';
import {
  builtinAgentTypes,
  bundledAgentsDir,
  defaultBuiltinAgentsDir,
  locateResourceAgent,
} from './agent-locations.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-agent-locations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defaultBuiltinAgentsDir', () => {
  it('finds every built-in agent in the workspace package outside the bundle', () => {
    expect(isSea()).toBe(false);
    const agentsDir = defaultBuiltinAgentsDir();
    expect(agentsDir).toMatch(/packages\/agents\/agents$/);
    for (const type of builtinAgentTypes) expect(existsSync(join(agentsDir, type))).toBe(true);
  });
});

describe('bundledAgentsDir', () => {
  // The archive's layout (bundle/README.md): bin/quorate, bin/ricci -> quorate, and the agents
  // in lib/ocf/resource.d/quorate; installed under a prefix that may itself be reached by a link.
  const prefix = join(dir, 'opt', 'quorate');
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  writeFileSync(join(prefix, 'bin', 'quorate'), '');
  symlinkSync('quorate', join(prefix, 'bin', 'ricci'));
  symlinkSync(prefix, join(dir, 'current'));

  it('is lib/ocf/resource.d/quorate beside the executable, links resolved', () => {
    const expected = join(prefix, 'lib', 'ocf', 'resource.d', 'quorate');
    expect(bundledAgentsDir(join(prefix, 'bin', 'quorate'))).toBe(expected);
    expect(bundledAgentsDir(join(prefix, 'bin', 'ricci'))).toBe(expected);
    expect(bundledAgentsDir(join(dir, 'current', 'bin', 'ricci'))).toBe(expected);
    expect(
      locateResourceAgent('script', { ocfRoot: '/usr/lib/ocf', builtinAgentsDir: expected }),
    ).toEqual({ path: join(expected, 'script'), resourceType: 'script', provider: undefined });
  });

  it('names the executable that does not exist', () => {
    expect(() => bundledAgentsDir(join(dir, 'missing', 'quorate'))).toThrow(/ENOENT.*missing/);
  });
});
