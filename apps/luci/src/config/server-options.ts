import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** How the console was asked to run: command-line flags first, then LUCI_* variables, then defaults. */
export interface ServerOptions {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Administrator-provided certificate and key files; null makes (once) a self-signed pair. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  readonly webDir: string;
  readonly sessionIdleMinutes: number;
}

export const defaultDataDir = '/var/lib/quorate/luci';
/** luci's port. */
export const defaultPort = 8084;
/** The built web app beside this package in the repository (apps/web/dist). */
export const defaultWebDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

export const usage = `usage: luci [options]
  --data-dir DIR        database and TLS files (LUCI_DATA_DIR; default ${defaultDataDir})
  --host ADDRESS        address to listen on (LUCI_HOST; default :: — every address)
  --port PORT           HTTPS port (LUCI_PORT; default ${defaultPort})
  --cert FILE --key FILE  the administrator's certificate and key, PEM (LUCI_TLS_CERT,
                        LUCI_TLS_KEY); without them a self-signed pair is made at first start
  --web-dir DIR         the built web app (LUCI_WEB_DIR; default apps/web/dist)
  --session-idle-minutes N  idle minutes before a session ends (LUCI_SESSION_IDLE_MINUTES; 30)
  --help`;

const schema = z
  .strictObject({
    dataDir: z.string().min(1, 'is empty'),
    host: z.string().min(1, 'is empty'),
    port: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1–65535')
      .max(65535, 'must be 1–65535'),
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    webDir: z.string().min(1, 'is empty'),
    sessionIdleMinutes: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1440, 'must be at most 1440'),
  })
  .refine((o) => (o.cert === undefined) === (o.key === undefined), {
    message: 'give both --cert and --key, or neither',
    path: ['cert'],
  });

const flagOf: Record<string, string> = {
  dataDir: '--data-dir',
  host: '--host',
  port: '--port',
  cert: '--cert',
  key: '--key',
  webDir: '--web-dir',
  sessionIdleMinutes: '--session-idle-minutes',
};

export class OptionsError extends Error {}

/** Reads the options; bad input throws an OptionsError naming the flag and the rule. */
export function parseServerOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ServerOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'web-dir': { type: 'string' },
        'session-idle-minutes': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new OptionsError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) return 'help';
  const pick = (flag: string, variable: string, fallback?: string) =>
    (values[flag] as string | undefined) ?? env[variable] ?? fallback;
  const result = schema.safeParse({
    dataDir: pick('data-dir', 'LUCI_DATA_DIR', defaultDataDir),
    host: pick('host', 'LUCI_HOST', '::'),
    port: pick('port', 'LUCI_PORT', String(defaultPort)),
    cert: pick('cert', 'LUCI_TLS_CERT'),
    key: pick('key', 'LUCI_TLS_KEY'),
    webDir: pick('web-dir', 'LUCI_WEB_DIR', defaultWebDir),
    sessionIdleMinutes: pick('session-idle-minutes', 'LUCI_SESSION_IDLE_MINUTES', '30'),
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const flag = flagOf[String(issue.path[0])] ?? String(issue.path[0]);
    throw new OptionsError(`${flag}: ${issue.message}`);
  }
  const o = result.data;
  return {
    dataDir: resolve(o.dataDir),
    host: o.host,
    port: o.port,
    tls: o.cert && o.key ? { certFile: resolve(o.cert), keyFile: resolve(o.key) } : null,
    webDir: resolve(o.webDir),
    sessionIdleMinutes: o.sessionIdleMinutes,
  };
}

export const tlsDir = (dataDir: string): string => join(dataDir, 'tls');
