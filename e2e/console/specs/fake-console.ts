import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';
import { type FakeCluster, type FakeConsole, startFakeConsole } from '@quorate/luci/testing';
import { firstStartWithCluster } from '../console-helpers.js';

/**
 * Browser tests against a cluster in memory: one console per worker (its own HTTPS server on
 * loopback, serving the built web app) around the cluster `makeCluster` returns; the tests'
 * `baseURL` is that console's.
 */
export function fakeConsoleTest(makeCluster: () => FakeCluster) {
  const webDir = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));
  return base.extend<object, { fake: FakeConsole }>({
    fake: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's needs from this pattern.
      async ({}, use) => {
        const fake = await startFakeConsole({ webDir, cluster: makeCluster() });
        await use(fake);
        await fake.close();
      },
      { scope: 'worker' },
    ],
    baseURL: async ({ fake }, use) => use(fake.url),
  });
}

/** The fake console's first start, then its three-node cluster added (any address will do). */
export const firstStartWithFakeCluster = (page: Page) =>
  firstStartWithCluster(page, '192.0.2.1', 'agent password', 3);
