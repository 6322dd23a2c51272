import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OptionsError, parseDaemonArgs } from './daemon-options.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseDaemonArgs(args, env, 'thishost');
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${parsed.kind}`);
  return parsed.options;
}

describe('ricci options', () => {
  it('defaults to the host name, port 11111 and the standard directories', () => {
    expect(run([])).toEqual({
      nodeName: 'thishost',
      listenHost: '0.0.0.0',
      port: 11111,
      peers: [],
      stateDir: '/var/lib/quorate',
      configDir: '/etc/cluster',
      logLevel: 'info',
      tickMs: 50,
      snapshotEntries: 1000,
      rejoin: false,
      controlSocket: '/run/quorate/ricci.sock',
    });
    const fromEnv = run([], { QUORATE_STATE_DIR: '/s', QUORATE_CONFIG_DIR: '/c' });
    expect([fromEnv.stateDir, fromEnv.configDir]).toEqual(['/s', '/c']);
  });

  it('reads a config file, and the command line wins over it', () => {
    const file = join(dir, 'ricci.json');
    writeFileSync(
      file,
      JSON.stringify({
        nodeName: 'a',
        port: 12000,
        logLevel: 'debug',
        peers: [{ name: 'b', addresses: ['10.0.0.2:12000'] }],
      }),
    );
    const options = run(['--config', file, '--port', '13000', '--peer', 'c=10.0.0.3:1,10.1.0.3:1']);
    expect(options).toMatchObject({ nodeName: 'a', port: 13000, logLevel: 'debug' });
    expect(options.peers).toEqual([{ name: 'c', addresses: ['10.0.0.3:1', '10.1.0.3:1'] }]);
    expect(run(['--config', file]).peers).toEqual([{ name: 'b', addresses: ['10.0.0.2:12000'] }]);
  });

  it('names the option and the rule when one is wrong', () => {
    expect(() => run(['--port', '70000'])).toThrowError(
      new OptionsError('--port: 70000 is not a TCP port'),
    );
    expect(() => run(['--port', 'ten'])).toThrowError('--port: ten is not a whole number');
    expect(() => run(['--log-level', 'loud'])).toThrowError(
      '--log-level: loud is not one of debug, info, warn, error',
    );
    expect(() => run(['--peer', 'node2'])).toThrowError(
      '--peer: "node2" is not NAME=HOST:PORT[,HOST:PORT]',
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ peers: [{ name: 'b' }] }));
    expect(() => run(['--config', bad])).toThrowError(
      'config file /peers/0: needs a name and a list of addresses',
    );
    expect(() => run(['--snapshot-entries', '0'])).toThrowError(
      '--snapshot-entries: 0 must be at least 1',
    );
    expect(() => run(['--bogus'])).toThrowError(OptionsError);
  });

  it('takes --rejoin and --snapshot-entries', () => {
    expect(run(['--rejoin', '--snapshot-entries', '5'])).toMatchObject({
      rejoin: true,
      snapshotEntries: 5,
    });
  });

  it('recognises --version and --help', () => {
    expect(parseDaemonArgs(['--version'], {}, 'h').kind).toBe('version');
    expect(parseDaemonArgs(['--help'], {}, 'h').kind).toBe('help');
  });
});
