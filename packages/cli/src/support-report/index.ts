export * from './gather.js';
export * from './main.js';
export * from './redact.js';
