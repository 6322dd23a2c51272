/** Test doubles for the console's tests and browser tests (`@quorate/luci/testing`). */
export { FakeCluster, type FakeClusterOptions, threeNodeStatus } from './fake-cluster.js';
export { type FakeConsole, startFakeConsole } from './fake-console.js';
export { StatusStream, scaleClusterOptions } from './status-stream.js';
