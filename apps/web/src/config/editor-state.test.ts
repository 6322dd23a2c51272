import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client.js';
import {
  editorStateOf,
  errorAt,
  errorOfForm,
  formErrorOf,
  paramChanges,
  tryEdits,
} from './editor-state.js';
import { specOf, treeOf } from './service-tree-editor.js';

const text = `<?xml version="1.0"?>
<cluster name="c" config_version="4">
  <clusternodes><clusternode name="n1" nodeid="1"/></clusternodes>
  <fencedevices>
    <fencedevice name="ipmi" agent="fence_ipmilan" ipaddr="192.0.2.9" login="root" passwd="********"/>
  </fencedevices>
  <rm>
    <service name="svc">
      <fs name="data" device="/dev/sdb1" mountpoint="/srv" __independent_subtree="1">
        <script name="app" file="/bin/true"/>
      </fs>
    </service>
  </rm>
</cluster>
`;

const state = editorStateOf('c', {
  version: 4,
  text,
  resourceAgents: [],
  fenceAgents: [],
  metadataFailures: [],
  canEdit: true,
});

describe('the editor in the browser', () => {
  it('refuses with the core’s rules before anything is sent, at the field', () => {
    let refusal: unknown;
    try {
      tryEdits(state, [{ op: 'addFenceDevice', name: 'ipmi', agent: 'fence_manual' }]);
    } catch (error) {
      refusal = error;
    }
    const error = formErrorOf(refusal);
    expect(errorAt(error, 'name')).toBe('fence device "ipmi" already exists');
    expect(errorOfForm(error, ['name'])).toBeUndefined();
    expect(errorOfForm(error, ['agent'])).toBe('fence device "ipmi" already exists');
  });

  it('maps the console’s refusal to the field its path names', () => {
    const error = formErrorOf(
      new ApiError(400, 'CONSOLE_INVALID_REQUEST', 'bad', '/cluster/rm/resources/ip[1]/@address'),
    );
    expect(errorAt(error, 'address')).toBe('bad');
    expect(errorAt(error, 'name')).toBeUndefined();
  });

  it('keeps a secret left empty, and removes another parameter that was emptied', () => {
    const before = { ipaddr: '192.0.2.9', login: 'root' };
    const after = { ipaddr: '192.0.2.10', login: '', passwd: '' };
    expect(paramChanges(before, after, (n) => n === 'passwd')).toEqual({
      ipaddr: '192.0.2.10',
      login: null,
    });
    expect(paramChanges(before, { ...after, passwd: 'new' }, (n) => n === 'passwd')).toMatchObject({
      passwd: 'new',
    });
  });

  it('carries a tree through the editor unchanged, internals included', () => {
    const service = state.conf.rm!.services[0]!;
    expect(specOf(treeOf(service.children))).toEqual([
      {
        type: 'fs',
        params: {
          name: 'data',
          device: '/dev/sdb1',
          mountpoint: '/srv',
          __independent_subtree: '1',
        },
        children: [{ type: 'script', params: { name: 'app', file: '/bin/true' }, children: [] }],
      },
    ]);
    const out = tryEdits(state, [
      { op: 'setServiceTree', service: 'svc', tree: specOf(treeOf(service.children)) },
    ]);
    expect(out.rm!.services[0]!.children[0]!.internals).toEqual({ __independent_subtree: '1' });
  });
});
