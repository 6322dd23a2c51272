import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { loadTlsMaterial } from '../config/tls-material.js';
import { ConsoleStore, openMemoryDatabase } from '../store/index.js';
import { FakeCluster } from './fake-cluster.js';

export interface FakeConsole {
  /** `https://HOST:PORT`, the console's origin. */
  readonly url: string;
  readonly cluster: FakeCluster;
  close(): Promise<void>;
}

/**
 * A real console (HTTPS, the built web app, a fresh store at its first start) whose only
 * cluster is a `FakeCluster` in this process: browser tests that need no test hosts drive it,
 * and change the cluster under the page with the FakeCluster's methods.
 */
export async function startFakeConsole(options: {
  readonly webDir: string;
  readonly cluster?: FakeCluster;
  readonly host?: string;
}): Promise<FakeConsole> {
  const cluster = options.cluster ?? new FakeCluster();
  const tlsDir = mkdtempSync(join(tmpdir(), 'luci-fake-tls-'));
  const tls = await loadTlsMaterial(null, tlsDir);
  const store = new ConsoleStore(openMemoryDatabase());
  const app = await buildApp({
    store,
    clusterLinks: cluster.links(),
    webDir: options.webDir,
    https: { cert: tls.cert, key: tls.key },
    scryptCost: { N: 1024, r: 8, p: 1 },
  });
  await app.listen({ host: options.host ?? '127.0.0.1', port: 0 });
  const { address, port } = app.server.address() as AddressInfo;
  return {
    url: `https://${address}:${port}`,
    cluster,
    close: async () => {
      await app.close();
      store.close();
      rmSync(tlsDir, { recursive: true, force: true });
    },
  };
}
