export * from './connect.js';
export * from './errno-text.js';
export * from './with-agent.js';
