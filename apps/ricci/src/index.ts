// The node agent daemon. Rooms inside: agent-runner/ (resource and fence agents).
export * from './agent-runner/index.js';
export * from './console/index.js';
export * from './control/index.js';
export * from './daemon/index.js';
export * from './executor/index.js';
export * from './storage/index.js';
export * from './tls/index.js';
export * from './transport/index.js';
