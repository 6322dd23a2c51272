export * from './cert-command.js';
export * from './certificates.js';
export * from './peer-identity.js';
export * from './tls-files.js';
