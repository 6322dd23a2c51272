import { ConsoleError } from '../errors/console-error.js';
import type { ClusterLinkFactory } from './cluster-link.js';

const notYet =
  'this console cannot connect to cluster agents yet: the agents’ console API is not built';

/** The factory until the agents' console API exists: it refuses, honestly, every connection. */
export const unavailableClusterLinks: ClusterLinkFactory = {
  available: false,
  connect: () => Promise.reject(new ConsoleError('CONSOLE_LINK_UNAVAILABLE', notYet)),
  reconnect: () => {
    throw new ConsoleError('CONSOLE_LINK_UNAVAILABLE', notYet);
  },
};
