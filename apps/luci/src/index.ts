export { type AppOptions, buildApp } from './app.js';
export type { Access } from './app-types.js';
export type {
  ClusterLink,
  ClusterLinkChange,
  ClusterLinkFactory,
  ClusterLinkTarget,
  ClusterSnapshot,
  DiscoveredNode,
} from './cluster-link/cluster-link.js';
export { unavailableClusterLinks } from './cluster-link/unavailable-links.js';
export { ConsoleStore, openDatabase, openMemoryDatabase } from './store/index.js';
