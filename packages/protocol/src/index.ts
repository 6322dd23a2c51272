export * from './browser-api.js';
export * from './config-issue.js';
export * from './control-messages.js';
export * from './controller-messages.js';
export * from './error-codes.js';
export * from './peer-frame.js';
export * from './peer-messages.js';
