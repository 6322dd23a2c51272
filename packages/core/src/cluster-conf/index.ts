export * from './dependencies.js';
export * from './model.js';
export * from './read.js';
export * from './resource-delta.js';
export * from './resource-order.js';
export * from './resource-tree.js';
export * from './rg-test-format.js';
