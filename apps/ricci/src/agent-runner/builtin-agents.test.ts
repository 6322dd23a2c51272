// The built-in agents of @quorate/agents run without a test host: their meta-data against the
// core's, the script agent against a local LSB script, and the NFS agents' command lines
// against fake `mount` and `exportfs` (this kernel has no NFS), placed first on PATH.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAgentCatalog, parseAgentMetadata } from '@quorate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinAgentTypes } from './agent-locations.js';
import { ResourceAgentRunner } from './resource-agent-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'quorate-builtin-agents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const systemPath = '/usr/sbin:/usr/bin:/sbin:/bin';
const runner = new ResourceAgentRunner({ baseEnv: { PATH: systemPath } });

function executable(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function outcomeName(result: Awaited<ReturnType<ResourceAgentRunner['run']>>): string {
  return result.outcome.kind === 'ocf' ? result.outcome.name : result.outcome.kind;
}

describe('built-in agents print the core meta-data', () => {
  it.each(builtinAgentTypes)('%s', async (type) => {
    const result = await runner.run({
      type,
      action: 'meta-data',
      attributes: {},
      timeoutMs: 5_000,
    });
    expect(outcomeName(result)).toBe('success');
    const printed = parseAgentMetadata(result.stdout, { type });
    const core = builtinAgentCatalog.get(type)!;
    expect(printed.parameters).toEqual(core.parameters);
    expect(printed.actions).toEqual(core.actions);
    expect(printed).toEqual(core);
  });

  it('answers an unknown action with unimplemented (3)', async () => {
    const result = await runner.run({
      type: 'ip',
      action: 'promote',
      attributes: { address: '10.0.0.1' },
    });
    expect(outcomeName(result)).toBe('unimplemented');
  });
});

describe('script', () => {
  const state = join(dir, 'lsb-state');
  const lsb = executable(
    join(dir, 'lsb-service'),
    `state=${state}
case $1 in
start) [ "$LSB_FAIL" = start ] && exit 4; touch "$state" ;;
stop) rm -f "$state" ;;
status) [ -f "$state.broken" ] && exit 1; [ -f "$state" ] && exit 0; exit 3 ;;
*) exit 2 ;;
esac`,
  );
  const run = (action: string, file = lsb) =>
    runner.run({ type: 'script', action, attributes: { name: 'svc', file } }).then(outcomeName);

  it('maps the LSB script to OCF: start, status 0 and 3, stop', async () => {
    expect(await run('status')).toBe('notRunning');
    expect(await run('start')).toBe('success');
    expect(await run('status')).toBe('success');
    expect(await run('monitor')).toBe('success');
    expect(await run('stop')).toBe('success');
    expect(await run('stop')).toBe('success');
    expect(await run('status')).toBe('notRunning');
  });

  it('reports other status codes and failed starts as generic errors', async () => {
    writeFileSync(`${state}.broken`, '');
    expect(await run('status')).toBe('errGeneric');
    rmSync(`${state}.broken`);
    const failing = new ResourceAgentRunner({ baseEnv: { PATH: systemPath, LSB_FAIL: 'start' } });
    const result = await failing.run({
      type: 'script',
      action: 'start',
      attributes: { file: lsb },
    });
    expect(outcomeName(result)).toBe('errGeneric');
    expect(result.exitReason).toBe(`${lsb} start exited with 4`);
  });

  it('validates the file', async () => {
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    expect(await run('validate-all', join(dir, 'missing'))).toBe('notInstalled');
    expect(await run('validate-all', 'relative/path')).toBe('notConfigured');
    expect(await run('validate-all', plain)).toBe('errPerm');
  });
});

describe('ip and fs validation', () => {
  const ip = (address: string) =>
    runner.run({ type: 'ip', action: 'validate-all', attributes: { address } }).then(outcomeName);
  const fs = (attributes: Record<string, string>) =>
    runner.run({ type: 'fs', action: 'start', attributes }).then(outcomeName);

  it('refuses addresses and prefixes that are not valid', async () => {
    expect(await ip('10.1.2.3')).toBe('success');
    expect(await ip('2001:db8::7/64')).toBe('success');
    expect(await ip('10.1.2.3/33')).toBe('notConfigured');
    expect(await ip('10.1.2.3; reboot')).toBe('notConfigured');
    expect(await ip('')).toBe('notConfigured');
  });

  it('refuses relative mount points and devices that are not block devices', async () => {
    expect(await fs({ device: '/dev/null', mountpoint: 'data' })).toBe('notConfigured');
    expect(await fs({ device: join(dir, 'no-such-disk'), mountpoint: join(dir, 'mnt') })).toBe(
      'notInstalled',
    );
  });
});

describe('NFS agents against fake mount and exportfs', () => {
  const fakeDir = mkdtempSync(join(dir, 'fake-bin-'));
  const calls = join(fakeDir, 'calls');
  const exportsTable = join(fakeDir, 'exports');
  writeFileSync(exportsTable, '');
  // Each fake records its argv, one bracketed argument at a time, so quoting shows exactly.
  const record = `{ printf '%s' "\${0##*/}"; printf ' [%s]' "$@"; echo; } >> ${calls}`;
  executable(join(fakeDir, 'mount'), record);
  executable(join(fakeDir, 'umount'), record);
  // exportfs: -v lists the table as `PATH<TAB>CLIENT(OPTIONS)`; -i -o adds; -u removes.
  executable(
    join(fakeDir, 'exportfs'),
    `${record}
table=${exportsTable}
case $1 in
-v | '') cat "$table" ;;
-i) if [ "$2" = -o ]; then opts=$3; spec=$4; else opts=ro; spec=$2; fi
    printf '%s\\t%s(%s)\\n' "\${spec#*:}" "\${spec%%:*}" "$opts" >> "$table" ;;
-u) spec=$2; grep -v -F -x "$(printf '%s\\t%s' "\${spec#*:}" "\${spec%%:*}")(" "$table" |
      awk -v p="\${spec#*:}" -v c="\${spec%%:*}" -F '\\t' '!($1 == p && index($2, c "(") == 1)' > "$table.new"
    mv "$table.new" "$table" ;;
esac`,
  );
  const faked = new ResourceAgentRunner({ baseEnv: { PATH: `${fakeDir}:${systemPath}` } });
  const takeCalls = () => {
    const text = existsSync(calls) ? readFileSync(calls, 'utf8') : '';
    rmSync(calls, { force: true });
    return text.split('\n').filter((line) => line !== '' && !/^exportfs \[(-v)?\]$/.test(line));
  };
  const run = async (type: string, action: string, attributes: Record<string, string>) =>
    outcomeName(await faked.run({ type, action, attributes }));

  it('netfs mounts NFS, NFSv4 over IPv6 and CIFS with the mount contract', async () => {
    const mountpoint = join(dir, 'netfs-mnt');
    const marker = join(dir, 'netfs-pwned');
    const base = { name: 'home', mountpoint, export: '/export/home' };
    expect(
      await run('netfs', 'start', {
        ...base,
        host: 'filer',
        options: `rw,hard;$(touch ${marker})`,
      }),
    ).toBe('success');
    expect(await run('netfs', 'start', { ...base, host: '2001:db8::5', fstype: 'nfs4' })).toBe(
      'success',
    );
    expect(
      await run('netfs', 'start', { ...base, host: 'filer', fstype: 'cifs', export: 'share' }),
    ).toBe('success');
    expect(takeCalls()).toEqual([
      `mount [-t] [nfs] [-o] [rw,hard;$(touch ${marker})] [filer:/export/home] [${mountpoint}]`,
      `mount [-t] [nfs4] [[2001:db8::5]:/export/home] [${mountpoint}]`,
      `mount [-t] [cifs] [//filer/share] [${mountpoint}]`,
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('netfs stop and status see that nothing is mounted, and bad protocols are refused', async () => {
    const base = { name: 'home', mountpoint: join(dir, 'netfs-mnt'), host: 'filer', export: '/x' };
    expect(await run('netfs', 'status', base)).toBe('notRunning');
    expect(await run('netfs', 'stop', base)).toBe('success');
    expect(await run('netfs', 'start', { ...base, fstype: 'smbfs' })).toBe('notConfigured');
    expect(takeCalls()).toEqual([]);
  });

  it('nfsexport needs exportfs and the export table', async () => {
    const attrs = { name: 'exp', path: '/srv/data' };
    expect(await run('nfsexport', 'start', attrs)).toBe('success');
    expect(await run('nfsexport', 'status', attrs)).toBe('success');
    expect(await run('nfsexport', 'start', { name: 'exp' })).toBe('notConfigured');
    const withoutExportfs = new ResourceAgentRunner({ baseEnv: { PATH: dir } });
    const missing = await withoutExportfs.run({
      type: 'nfsexport',
      action: 'start',
      attributes: attrs,
    });
    expect(outcomeName(missing)).toBe('notInstalled');
    takeCalls();
  });

  it('nfsclient adds, checks, recovers and removes one export line', async () => {
    const attrs = {
      name: 'c1',
      target: '*.example.com',
      path: '/srv/data',
      options: 'rw,sync',
      fsid: '7',
    };
    expect(await run('nfsclient', 'status', attrs)).toBe('notRunning');
    expect(await run('nfsclient', 'start', attrs)).toBe('success');
    expect(await run('nfsclient', 'status', attrs)).toBe('success');
    expect(readFileSync(exportsTable, 'utf8')).toBe('/srv/data\t*.example.com(rw,sync,fsid=7)\n');
    expect(await run('nfsclient', 'stop', attrs)).toBe('success');
    expect(await run('nfsclient', 'status', attrs)).toBe('notRunning');
    expect(await run('nfsclient', 'recover', { ...attrs, allow_recover: '0' })).toBe('errGeneric');
    expect(await run('nfsclient', 'recover', attrs)).toBe('success');
    expect(await run('nfsclient', 'start', { ...attrs, target: 'a(b)' })).toBe('notConfigured');
    expect(takeCalls()).toEqual([
      'exportfs [-i] [-o] [rw,sync,fsid=7] [*.example.com:/srv/data]',
      'exportfs [-u] [*.example.com:/srv/data]',
      'exportfs [-i] [-o] [rw,sync,fsid=7] [*.example.com:/srv/data]',
    ]);
  });
});
