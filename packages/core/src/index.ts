export * from './agent-metadata/index.js';
export * from './cluster-conf/index.js';
export * from './consensus/index.js';
export * from './controller/index.js';
export * from './resource-manager/index.js';
export * from './xml/index.js';
