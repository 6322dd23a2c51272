import { describe, expect, it } from 'vitest';
import { parseAddresses, parseMountInfo } from './host-state.js';

describe('reading a host from outside', () => {
  it('takes every IPv4 address of `ip -4 -o addr show`, without its prefix', () => {
    const text = [
      '2: eth0    inet 10.231.0.1/24 scope global eth0\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet 10.231.0.100/24 scope global secondary eth0\\       valid_lft forever',
      '',
    ].join('\n');
    expect(parseAddresses(text)).toEqual(['10.231.0.1', '10.231.0.100']);
    expect(parseAddresses('')).toEqual([]);
  });

  it('reads mountinfo lines, optional fields and octal escapes included', () => {
    const text = [
      '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '310 22 7:3 / /var/lib/quorate/data rw,relatime - ext4 /dev/loop3 rw',
      '311 22 254:0 /run/x/blank /usr/bin/node rw - ext4 /dev/vda rw',
      '312 22 0:50 / /mnt/with\\040space rw master:3 shared:9 - tmpfs none rw',
      'not a mount line',
    ].join('\n');
    expect(parseMountInfo(text)).toEqual([
      { id: 22, root: '/', target: '/', fsType: 'ext4', source: '/dev/vda' },
      { id: 310, root: '/', target: '/var/lib/quorate/data', fsType: 'ext4', source: '/dev/loop3' },
      {
        id: 311,
        root: '/run/x/blank',
        target: '/usr/bin/node',
        fsType: 'ext4',
        source: '/dev/vda',
      },
      { id: 312, root: '/', target: '/mnt/with space', fsType: 'tmpfs', source: 'none' },
    ]);
  });
});
