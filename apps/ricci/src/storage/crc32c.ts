/**
 * CRC-32C (Castagnoli), the checksum of every stored record. Node's zlib offers only the IEEE
 * polynomial; Castagnoli detects more of the burst errors a disk produces, and storage formats
 * (iSCSI, ext4 metadata, etcd's WAL) use it for that reason.
 */
const POLYNOMIAL_REVERSED = 0x82f63b78;

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL_REVERSED : crc >>> 1;
    }
    table[byte] = crc >>> 0;
  }
  return table;
}

/** The CRC-32C of `bytes`, continuing from `previous` when a checksum spans several buffers. */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (const byte of bytes) {
    crc = (TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}
