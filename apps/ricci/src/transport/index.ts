export * from './backoff.js';
export * from './peer-dialer.js';
export * from './peer-server.js';
export * from './peer-transport.js';
export * from './transport-types.js';
