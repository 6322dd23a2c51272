export * from './config-issue.js';
export * from './error-codes.js';
