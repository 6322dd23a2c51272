import { describe, expect, it } from 'vitest';
import { dispatch, LINKED_COMMANDS } from './dispatch.js';

describe('dispatch: which command the executable runs', () => {
  it('runs a linked command by the name it was started as, with every argument', () => {
    expect(dispatch('/opt/quorate/bin/ricci', ['--node', 'n1'])).toEqual({
      kind: 'run',
      command: 'ricci',
      args: ['--node', 'n1'],
    });
    expect(dispatch('ccs_tool', ['lsnode'])).toEqual({
      kind: 'run',
      command: 'ccs_tool',
      args: ['lsnode'],
    });
  });

  it('passes a linked command even the arguments that quorate itself would take', () => {
    expect(dispatch('./ricci', ['--version'])).toEqual({
      kind: 'run',
      command: 'ricci',
      args: ['--version'],
    });
  });

  it('runs as quorate the command named first, for every linked command and cert', () => {
    for (const command of [...LINKED_COMMANDS, 'cert', 'support-report']) {
      expect(dispatch('/opt/quorate/bin/quorate', [command, 'x', '--y'])).toEqual({
        kind: 'run',
        command,
        args: ['x', '--y'],
      });
    }
  });

  it('treats an unknown executable name as quorate', () => {
    expect(dispatch('quorate-agent-0.1.0', ['cert', 'ca'])).toEqual({
      kind: 'run',
      command: 'cert',
      args: ['ca'],
    });
  });

  it('answers quorate --version and help, and refuses an unknown command by name', () => {
    expect(dispatch('quorate', ['--version'])).toMatchObject({ command: 'version' });
    expect(dispatch('quorate', [])).toMatchObject({ command: 'help' });
    expect(dispatch('quorate', ['--help'])).toMatchObject({ command: 'help' });
    expect(dispatch('quorate', ['clustatt'])).toEqual({
      kind: 'usage-error',
      message: 'unknown command "clustatt"',
    });
  });
});
