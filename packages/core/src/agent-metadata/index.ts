export * from './catalog.js';
export * from './duration.js';
export * from './model.js';
export * from './parse.js';
