export * from './xml-parse.js';
export * from './xml-serialize.js';
export * from './xml-tree.js';
