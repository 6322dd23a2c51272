import { describe, expect, it } from 'vitest';
import { type BootstrapNode, type ClusterPlan, checkPlan, PlanError } from './bootstrap-plan.js';

const node = (host: string, extra: Partial<BootstrapNode> = {}): BootstrapNode => ({
  host,
  user: 'root',
  auth: { kind: 'password', password: 'secret' },
  hostKey: { kind: 'trust-on-first-use' },
  ...extra,
});

const plan = (extra: Partial<ClusterPlan> = {}): ClusterPlan => ({
  clusterName: 'tcluster',
  nodes: [node('10.0.0.1'), node('10.0.0.2'), node('10.0.0.3')],
  agentPassword: 'a-long-agent-password',
  ...extra,
});

function issuesOf(bad: ClusterPlan): Array<[string, string]> {
  try {
    checkPlan(bad);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    return error.issues.map((issue) => [issue.field, issue.message]);
  }
  throw new Error('the plan was accepted');
}

describe('checkPlan', () => {
  it('accepts a sound plan unchanged', () => {
    const sound = plan({ options: { tokenMs: 300, waitForAll: true } });
    expect(checkPlan(sound)).toBe(sound);
  });

  it('names every bad field and its rule', () => {
    const bad = plan({
      clusterName: 'no spaces',
      agentPassword: 'short',
      nodes: [
        node('10.0.0.1', { user: 'Bad User' }),
        node('10.0.0.1', { auth: { kind: 'private-key', privateKey: 'not a key' } }),
        node('bad host!', { sshPort: 70000, hostKey: { kind: 'pinned', sha256: 'MD5:aa' } }),
      ],
      options: { tokenMs: 5, twoNode: true },
    });
    expect(issuesOf(bad)).toEqual([
      ['clusterName', expect.stringContaining('letters, digits')],
      ['agentPassword', 'must be at least 12 characters'],
      ['nodes[0].user', 'must be a Unix user name'],
      ['nodes[1].auth.privateKey', 'must be a PEM or OpenSSH private key'],
      ['nodes[2].host', 'must be an IP address or DNS name'],
      ['nodes[2].sshPort', 'must be a TCP port (1–65535), not 70000'],
      ['nodes[2].hostKey.sha256', expect.stringContaining('SHA256 fingerprint')],
      ['nodes[1].host', 'is listed twice'],
      ['options.tokenMs', 'must be a whole number of milliseconds from 100 to 600000, not 5'],
      ['options.twoNode', 'needs exactly two nodes; the plan has 3'],
    ]);
  });

  it('refuses an empty node list and duplicate node names', () => {
    expect(issuesOf(plan({ nodes: [] }))).toEqual([['nodes', 'must list 1 to 64 nodes, not 0']]);
    const twins = [node('10.0.0.1', { name: 'a' }), node('10.0.0.2', { name: 'a' })];
    expect(issuesOf(plan({ nodes: twins }))).toEqual([
      ['nodes[1].name', 'is used by another node'],
    ]);
  });

  it('accepts the same host on two SSH ports and an IPv6 address', () => {
    const nodes = [node('10.0.0.1'), node('10.0.0.1', { sshPort: 2222 }), node('[fd00::1]')];
    expect(() => checkPlan(plan({ nodes }))).not.toThrow();
  });
});
