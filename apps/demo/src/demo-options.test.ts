import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from './demo-options.js';

describe('pnpm demo options', () => {
  it('defaults to the XDG state folder and the usual ports', () => {
    expect(parseDemoArgs([], {}, '/home/ann')).toEqual({
      dir: '/home/ann/.local/state/quorate-demo',
      basePort: 11111,
      webPort: 8088,
      consolePort: 8084,
      testHosts: false,
    });
    expect(parseDemoArgs([], { XDG_STATE_HOME: '/xdg' }, '/home/ann')).toMatchObject({
      dir: '/xdg/quorate-demo',
    });
  });

  it("takes the options after pnpm's `--`, as the README writes them", () => {
    expect(parseDemoArgs(['--', '--help'], {})).toBe('help');
    expect(parseDemoArgs(['--', '--web-port', '9000'], {}, '/home/ann')).toMatchObject({
      webPort: 9000,
    });
    expect(() => parseDemoArgs(['--', '--', '--help'], {})).toThrow(/Unexpected argument/);
  });

  it('names the option and the rule when a value is wrong', () => {
    expect(() => parseDemoArgs(['--web-port', 'http'], {})).toThrow(
      '--web-port: http is not a TCP port (1-65535)',
    );
    expect(() => parseDemoArgs(['--base-port', '65000'], {})).toThrow(/--base-port: 65000 is not/);
    expect(() => parseDemoArgs(['--web-port', '11112'], {})).toThrow(/must all differ/);
    expect(() => parseDemoArgs(['--colour'], {})).toThrow(/--colour/);
  });

  it('takes --test-hosts with the console port only, and names the options it does not use', () => {
    expect(parseDemoArgs(['--', '--test-hosts', '--console-port', '9443'], {})).toMatchObject({
      testHosts: true,
      consolePort: 9443,
    });
    expect(() => parseDemoArgs(['--test-hosts', '--web-port', '9000', '--dir', '/x'], {})).toThrow(
      '--dir, --web-port: not used with --test-hosts',
    );
  });
});
