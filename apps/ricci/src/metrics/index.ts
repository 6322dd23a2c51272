export * from './agent-metrics.js';
export * from './daemon-metrics.js';
export * from './metrics-server.js';
