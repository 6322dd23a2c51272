import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ccsTool, scratchDir, snapshot } from '../../testing/ccs-tool.js';
import { writeConfigFile } from './config-file.js';

// Every bad input gives one line on stderr and status 1, and leaves the directory exactly as it
// was: the same bytes, no temp file, no backup.

function withFile(content: string | Buffer): { dir: string; file: string } {
  const dir = scratchDir();
  const file = join(dir, 'cluster.conf');
  writeFileSync(file, content);
  return { dir, file };
}

function expectRefused(dir: string, argv: string[], message: RegExp): void {
  const before = snapshot(dir);
  const r = ccsTool(dir, ...argv);
  expect(r.status, argv.join(' ')).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^ccs_tool: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(snapshot(dir)).toEqual(before);
}

const good = `<?xml version="1.0"?>
<cluster name="c1" config_version="4">
  <clusternodes>
    <clusternode name="n1" nodeid="1"/>
  </clusternodes>
  <fencedevices/>
</cluster>
`;

describe('bad input leaves the file byte-identical', () => {
  test('a truncated file', () => {
    const { dir, file } = withFile(good.slice(0, good.length / 2));
    expectRefused(dir, ['addnode', 'n2'], /cluster\.conf: not well-formed XML/);
    expectRefused(dir, ['lsnode'], /not well-formed XML/);
    expect(readFileSync(file, 'utf8')).toBe(good.slice(0, good.length / 2));
  });

  test('a file that is not XML, an empty file, invalid UTF-8, a directory, no file', () => {
    expectRefused(withFile('hello, world\n').dir, ['addnode', 'n2'], /not well-formed XML/);
    expectRefused(withFile('').dir, ['delnode', 'n1'], /the file is empty/);
    expectRefused(withFile(Buffer.from([0x3c, 0xff, 0xfe])).dir, ['lsnode'], /is not valid UTF-8/);
    expectRefused(scratchDir(), ['lsfence'], /cannot open .*cluster\.conf: ENOENT/);
    const dir = scratchDir();
    expectRefused(dir, ['lsnode', '-c', dir], /is not a regular file/);
  });

  test('a 50 MB file is refused before it is read', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    Buffer.from('<cluster name="c1" config_version="1">').copy(big);
    const { dir, file } = withFile(big);
    expectRefused(dir, ['addnode', 'n2'], /is 52428800 bytes; the limit is 4194304 bytes/);
    expect(statSync(file).size).toBe(52428800);
  });

  test('names with quotes and angle brackets, duplicate names and ids', () => {
    const { dir } = withFile(good);
    expectRefused(dir, ['addnode', 'n"<2>'], /the node name "n"<2>" is not a host name/);
    expectRefused(dir, ['addfence', 'a<b', 'fence_apc'], /must not contain quotes, <, >, &/);
    expectRefused(dir, ['addnode', 'n1'], /@name: node "n1" already exists$/m);
    expectRefused(dir, ['addnode', '-n', '1', 'n2'], /@nodeid: nodeid 1 is already used by n1$/m);
    expectRefused(dir, ['addnode', '-f', 'nope', 'n2'], /fence device "nope" does not exist/);
    expectRefused(dir, ['delnode', 'n4'], /node "n4" does not exist/);
  });

  test('a file with a broken config_version or a foreign root is not edited', () => {
    expectRefused(
      withFile(good.replace('"4"', '"four"')).dir,
      ['addnode', 'n2'],
      /config_version "four" is not a non-negative integer/,
    );
    expectRefused(withFile('<nodes/>').dir, ['addnode', 'n2'], /the root element is <nodes>/);
  });

  test('unknown elements, attributes and comments survive an edit', () => {
    const odd = good
      .replace(
        '<fencedevices/>',
        '<!-- keep me --><x-vendor a="1 &amp; 2">text &lt;here&gt;</x-vendor><fencedevices/>',
      )
      .replace('nodeid="1"', 'nodeid="1" x-rack="4"');
    const { dir, file } = withFile(odd);
    expect(ccsTool(dir, 'addnode', 'n2').status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('<!-- keep me -->');
    expect(text).toContain('<x-vendor a="1 &amp; 2">text &lt;here&gt;</x-vendor>');
    expect(text).toContain('<clusternode name="n1" nodeid="1" x-rack="4"/>');
  });

  test('a file changed behind our back is not overwritten', () => {
    const { dir, file } = withFile(good);
    const stale = { path: file, bytes: Buffer.from(good), text: good, mode: 0o640 };
    writeFileSync(file, good.replace('"4"', '"5"'));
    const before = snapshot(dir);
    expect(() => writeConfigFile(file, 'new', stale)).toThrow(
      /changed while ccs_tool was editing it/,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  test('a new file is never written over one that appeared meanwhile', () => {
    const { dir, file } = withFile(good);
    const before = snapshot(dir);
    expect(() => writeConfigFile(file, 'new', undefined)).toThrow(`${file} already exists`);
    expect(snapshot(dir)).toEqual(before);
  });
});
