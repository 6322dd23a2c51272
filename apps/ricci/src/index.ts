// The node agent daemon. Rooms inside: agent-runner/ (resource and fence agents).
export * from './agent-runner/index.js';
