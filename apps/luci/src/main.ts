#!/usr/bin/env node
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { consoleBootstrapFor } from './bootstrap/bootstrap-backend.js';
import { AgentClusterLinks } from './cluster-link/agent-cluster-links.js';
import { OptionsError, parseServerOptions, tlsDir, usage } from './config/server-options.js';
import { loadAgentClientIdentity, loadTlsMaterial } from './config/tls-material.js';
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
  // The certificate the agents pin once they have seen the agent password.
  const agentClient = await loadAgentClientIdentity(tlsDir(options.dataDir));
  let logTo: FastifyInstance | null = null;
  const clusterLinks = new AgentClusterLinks({
    identity: { cert: agentClient.cert, key: agentClient.key },
    log: (level, message, fields) => logTo?.log[level](fields, message),
  });
  const app = await buildApp({
    store,
    clusterLinks,
    webDir: options.webDir,
    https: { cert: tls.cert, key: tls.key },
    sessionLimits: { idleMs: options.sessionIdleMinutes * 60_000, maxMs: 12 * 3_600_000 },
    logger: { level: process.env.LUCI_LOG_LEVEL ?? 'info' },
    bootstrap: consoleBootstrapFor(options.dataDir, process.env),
  });
  logTo = app;
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
      agentClientSha256: agentClient.fingerprint,
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
