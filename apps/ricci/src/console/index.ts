export * from './agent-password.js';
export * from './auth-limiter.js';
export * from './console-events.js';
export * from './console-server.js';
export * from './log-ring.js';
export * from './password-command.js';
export * from './trusted-consoles.js';
