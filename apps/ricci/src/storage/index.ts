export * from './cluster-conf-file.js';
export * from './crc32c.js';
export * from './durable-log.js';
export * from './log-image.js';
export * from './record-frame.js';
export * from './rejoin.js';
export * from './state-dir.js';
export * from './storage-errors.js';
