import { describe, expect, test } from 'vitest';
import { parseIpAddress } from './validate-ip.js';

describe('parseIpAddress', () => {
  test.each([
    ['192.168.1.10', 4, undefined],
    ['10.0.0.1/24', 4, 24],
    ['0.0.0.0/0', 4, 0],
    ['::1', 6, undefined],
    ['fe80::1', 6, undefined],
    ['2001:db8::10/64', 6, 64],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', 6, undefined],
    ['::ffff:192.0.2.128/128', 6, 128],
    ['::', 6, undefined],
  ])('accepts %s', (text, family, prefix) => {
    const parsed = parseIpAddress(text);
    expect(parsed.ok && parsed.ip.family).toBe(family);
    expect(parsed.ok && parsed.ip.prefix).toBe(prefix);
  });

  test.each([
    '',
    'node1',
    '192.168.1',
    '192.168.1.256',
    '192.168.01.1',
    '1.2.3.4.5',
    '10.0.0.1/33',
    '10.0.0.1/',
    '10.0.0.1/-1',
    '2001:db8::1::2',
    '2001:db8:1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7',
    'fe80::g',
    '12345::',
    '2001:db8::1/129',
    '1.2.3.4::',
  ])('refuses %j with a reason that quotes it', (text) => {
    const parsed = parseIpAddress(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(`"${text}"`);
  });

  test('recognises multicast ranges', () => {
    const multicast = (t: string) => {
      const p = parseIpAddress(t);
      return p.ok && p.ip.multicast;
    };
    expect(multicast('239.192.1.1')).toBe(true);
    expect(multicast('224.0.0.1')).toBe(true);
    expect(multicast('240.0.0.1')).toBe(false);
    expect(multicast('ff02::1')).toBe(true);
    expect(multicast('fe80::1')).toBe(false);
  });
});
