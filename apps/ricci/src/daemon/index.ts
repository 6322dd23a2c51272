export * from './daemon.js';
export * from './daemon-control.js';
export * from './daemon-options.js';
export * from './json-log.js';
export * from './node-host.js';
export * from './tick-clock.js';
export * from './voting-config.js';
