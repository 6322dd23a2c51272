import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('matches the Castagnoli check value and continues across buffers', () => {
    const bytes = Buffer.from('123456789');
    expect(crc32c(bytes)).toBe(0xe3069283);
    expect(crc32c(bytes.subarray(4), crc32c(bytes.subarray(0, 4)))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});
