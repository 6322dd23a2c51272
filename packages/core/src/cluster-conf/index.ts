export * from './model.js';
export * from './read.js';
