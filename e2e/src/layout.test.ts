import { describe, expect, test } from 'vitest';
import {
  assertHostName,
  assertRunId,
  hostMac,
  namespaceName,
  newRunId,
  runNamespacePrefix,
  switchPortName,
} from './layout.js';

describe('run layout', () => {
  test('run ids have a fixed shape, so one run prefix never matches another run', () => {
    const ids = Array.from({ length: 50 }, newRunId);
    for (const id of ids) expect(() => assertRunId(id)).not.toThrow();
    expect(() => assertRunId('abc12')).toThrow(/6 characters/);
    expect(() => assertRunId('abc1234')).toThrow(/6 characters/);
    expect(namespaceName('abc123', 'node1')).toBe('qrabc123-node1');
    expect('qrabc1234-node1'.startsWith(runNamespacePrefix('abc123'))).toBe(false);
  });

  test('host names fit interface names and never take the switch name', () => {
    expect(switchPortName('console').length).toBeLessThanOrEqual(15);
    expect(() => assertHostName('sw')).toThrow(/reserved/);
    expect(() => assertHostName('Node1')).toThrow(/host name/);
    expect(() => assertHostName('averylonghostname')).toThrow(/host name/);
  });

  test('host MACs are locally administered and distinct', () => {
    const macs = Array.from({ length: 300 }, (_, index) => hostMac(index));
    expect(new Set(macs).size).toBe(300);
    expect(macs[0]).toBe('02:71:72:00:00:01');
    expect(macs[299]).toBe('02:71:72:00:01:2c');
  });
});
