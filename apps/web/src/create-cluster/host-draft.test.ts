import { describe, expect, it } from 'vitest';
import { type ClusterDraft, checkDraft, createRequest, emptyHost } from './host-draft.js';

const host = (address: string, password = 'root password') => ({
  ...emptyHost(),
  host: address,
  password,
});

const draft = (change: Partial<ClusterDraft> = {}): ClusterDraft => ({
  clusterName: 'tcluster',
  agentPassword: 'agent password 1',
  hosts: [host('10.0.0.1'), host('10.0.0.2'), host('10.0.0.3')],
  tokenMs: '',
  twoNode: false,
  waitForAll: false,
  ...change,
});

describe('the create-cluster form', () => {
  it('sends what was typed, leaving empty optional fields out', () => {
    const request = createRequest(draft({ tokenMs: ' 300 ' }));
    expect(request.nodes[0]).toEqual({
      host: '10.0.0.1',
      sshPort: 22,
      user: 'root',
      auth: { kind: 'password', password: 'root password' },
    });
    expect(request.options).toEqual({ tokenMs: 300, twoNode: false, waitForAll: false });
    expect(checkDraft(request)).toEqual({});
  });

  it('puts each broken rule at its field, as the server names it', () => {
    const errors = checkDraft(
      createRequest(
        draft({
          clusterName: 'my cluster',
          hosts: [host('10.0.0.1'), { ...host('10.0.0.1'), sshPort: 'x' }, host('10.0.0.3', '')],
          tokenMs: '50',
          twoNode: true,
        }),
      ),
    );
    expect(errors).toEqual({
      clusterName: expect.stringContaining('a cluster name must'),
      'nodes.1.sshPort': 'an SSH port is a number',
      'nodes.2.auth.password': 'enter the SSH password',
      'options.tokenMs': 'the token timeout is 100–600000 ms',
    });
  });

  it('checks the rules across fields once every field is sound', () => {
    const errors = checkDraft(
      createRequest(
        draft({ hosts: [host('10.0.0.1'), host('10.0.0.1'), host('10.0.0.3')], twoNode: true }),
      ),
    );
    expect(errors).toEqual({
      'nodes.1.host': '10.0.0.1 is listed twice',
      'options.twoNode': 'two_node needs exactly two nodes; the form has 3',
    });
  });
});
