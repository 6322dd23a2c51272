export * from './config-issue.js';
export * from './error-codes.js';
export * from './peer-frame.js';
export * from './peer-messages.js';
