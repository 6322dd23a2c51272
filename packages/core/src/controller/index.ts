export * from './console-trust.js';
export * from './controller.js';
export * from './controller-config.js';
export * from './fencer.js';
export * from './replicated-state.js';
export * from './service-plan.js';
export * from './types.js';
