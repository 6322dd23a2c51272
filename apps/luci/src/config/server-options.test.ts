import { describe, expect, it } from 'vitest';
import { defaultDataDir, defaultPort, parseServerOptions } from './server-options.js';

describe('parseServerOptions', () => {
  it('uses the embedded defaults when given nothing', () => {
    const options = parseServerOptions([], {});
    expect(options).toMatchObject({
      dataDir: defaultDataDir,
      host: '::',
      port: defaultPort,
      tls: null,
      sessionIdleMinutes: 30,
    });
  });

  it('takes flags over LUCI_* variables', () => {
    const env = { LUCI_PORT: '9000', LUCI_DATA_DIR: '/srv/env' };
    expect(parseServerOptions(['--port', '9443'], env)).toMatchObject({
      port: 9443,
      dataDir: '/srv/env',
    });
  });

  it('accepts an administrator certificate only with its key', () => {
    expect(parseServerOptions(['--cert', '/a.crt', '--key', '/a.key'], {})).toMatchObject({
      tls: { certFile: '/a.crt', keyFile: '/a.key' },
    });
    expect(() => parseServerOptions(['--cert', '/a.crt'], {})).toThrow(
      '--cert: give both --cert and --key, or neither',
    );
  });

  it('names the flag and the rule for a bad value', () => {
    expect(() => parseServerOptions(['--port', '70000'], {})).toThrow('--port: must be 1–65535');
    expect(() => parseServerOptions([], { LUCI_SESSION_IDLE_MINUTES: '0' })).toThrow(
      '--session-idle-minutes: must be at least 1',
    );
    expect(() => parseServerOptions(['--colour'], {})).toThrow(/Unknown option '--colour'/);
  });
});
