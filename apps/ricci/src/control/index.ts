export * from './control-provider.js';
export * from './control-server.js';
export * from './core-mapping.js';
export * from './wire-shapes.js';
