#!/usr/bin/env node
import { buildApp } from './app.js';
import { unavailableClusterLinks } from './cluster-link/unavailable-links.js';
import { OptionsError, parseServerOptions, tlsDir, usage } from './config/server-options.js';
import { loadTlsMaterial } from './config/tls-material.js';
import { hasWebApp } from './plugins/web-app-plugin.js';
import { ConsoleStore, openDatabase } from './store/index.js';

/** `luci`: the console server. Reads options, opens the store, listens on HTTPS. */
/** Resolves to an exit code when the server should not keep running, else to undefined. */
async function main(): Promise<number | undefined> {
  let options: ReturnType<typeof parseServerOptions>;
  try {
    options = parseServerOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`luci: ${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const store = new ConsoleStore(openDatabase(options.dataDir));
  const tls = await loadTlsMaterial(options.tls, tlsDir(options.dataDir));
  const app = await buildApp({
    store,
    clusterLinks: unavailableClusterLinks,
    webDir: options.webDir,
    https: { cert: tls.cert, key: tls.key },
    sessionLimits: { idleMs: options.sessionIdleMinutes * 60_000, maxMs: 12 * 3_600_000 },
    logger: { level: process.env.LUCI_LOG_LEVEL ?? 'info' },
  });
  if (!hasWebApp(options.webDir)) {
    app.log.warn(
      { webDir: options.webDir },
      'no built web app there: serving the API only (run pnpm build:web)',
    );
  }
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ host: options.host, port: options.port });
  app.log.info(
    {
      dataDir: options.dataDir,
      certificate: tls.selfSigned ? 'self-signed' : 'given',
      sha256: tls.fingerprint,
    },
    store.users.count() === 0
      ? 'console ready: open it to set the admin password'
      : 'console ready',
  );
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`luci: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
