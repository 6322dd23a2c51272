export * from './agent-operation-executor.js';
export * from './executor-log.js';
export * from './operation-mapping.js';
export * from './run-operation.js';
export * from './service-root.js';
