export * from './demo.js';
export * from './demo-cluster-conf.js';
export * from './demo-layout.js';
export * from './demo-options.js';
export { demoMain } from './main.js';
