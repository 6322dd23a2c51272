// The console's SSH bootstrap (issue 11 item 1): create a cluster from bare hosts.

export * from './add-node.js';
export * from './agent-bundle.js';
export * from './agent-starter.js';
export * from './bootstrap-backend.js';
export * from './bootstrap-cluster.js';
export * from './bootstrap-plan.js';
export * from './bootstrap-tasks.js';
export * from './cluster-ca.js';
export * from './cluster-ca-keeper.js';
export * from './cluster-membership.js';
export * from './host-check.js';
export * from './initial-cluster-conf.js';
export * from './membership-tasks.js';
export * from './node-run.js';
export * from './ssh-session.js';
export * from './uninstall-agent.js';
