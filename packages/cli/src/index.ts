export * from '@quorate/core';
export * from './ccs-tool/index.js';
