// The console of the demo: `pnpm start`'s server with the demo's data folder, on loopback, and a
// one-time admin password set through the console's own first-start API (POST /api/setup).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { csrfHeaderName } from '@quorate/protocol';
import { type DemoLayout, repositoryRoot } from './demo-layout.js';
import { DemoProcess, jsonLine } from './demo-process.js';

export const CONSOLE_HOST = '127.0.0.1';

export function startConsole(layout: DemoLayout, port: number): DemoProcess {
  return new DemoProcess({
    name: 'console',
    command: process.execPath,
    args: [
      join(repositoryRoot, 'apps/luci/dist/main.js'),
      '--data-dir',
      layout.consoleDir,
      '--host',
      CONSOLE_HOST,
      '--port',
      String(port),
    ],
    cwd: layout.root,
    env: { ...process.env, LUCI_LOG_LEVEL: 'info' },
    pidFile: layout.consolePidFile,
    logFile: layout.consoleLog,
  });
}

/** Resolves once the console listens. */
export function consoleReady(server: DemoProcess): Promise<true> {
  return server.waitForLine((line) => {
    const message = jsonLine(line)?.msg;
    return typeof message === 'string' && message.startsWith('console ready') ? true : undefined;
  }, 'it was ready');
}

interface ConsoleAnswer {
  readonly status: number;
  readonly body: string;
  readonly cookie: string | undefined;
}

/**
 * One request to the demo console as its web app makes it: JSON, the console's own Origin, and
 * the session's cookie and CSRF token once signed in. The console's self-signed certificate (in
 * its data folder) is the one certificate trusted.
 */
function consoleRequest(
  layout: DemoLayout,
  port: number,
  method: string,
  path: string,
  body: unknown,
  session?: { readonly cookie: string; readonly csrfToken: string },
): Promise<ConsoleAnswer> {
  const origin = `https://${CONSOLE_HOST}:${port}`;
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    origin,
  };
  if (session) {
    headers.cookie = session.cookie;
    headers[csrfHeaderName] = session.csrfToken;
  }
  return new Promise((resolve, reject) => {
    const sent = request(
      `${origin}${path}`,
      { method, ca: readFileSync(join(layout.consoleDir, 'tls', 'console.crt'), 'utf8'), headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookie: [response.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0],
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(text);
  });
}

/** Sets the admin password of a console that has no user yet, and returns it. */
export async function setAdminPassword(layout: DemoLayout, port: number): Promise<string> {
  const password = randomBytes(15).toString('base64url');
  const answer = await consoleRequest(layout, port, 'POST', '/api/setup', { password });
  if (answer.status !== 201) {
    throw new Error(`the console refused the admin password (HTTP ${answer.status})`);
  }
  return password;
}

/**
 * Signs in as admin and adds the demo cluster through one agent, as a user would on the
 * homebase page. Resolves with null when it was added, else with the console's reason.
 */
export async function addDemoCluster(
  layout: DemoLayout,
  port: number,
  adminPassword: string,
  agent: { readonly address: string; readonly port: number; readonly password: string },
): Promise<string | null> {
  const login = await consoleRequest(layout, port, 'POST', '/api/session', {
    user: 'admin',
    password: adminPassword,
  });
  if (login.status !== 200 || !login.cookie) return `sign-in failed (HTTP ${login.status})`;
  const { csrfToken } = JSON.parse(login.body) as { csrfToken: string };
  const added = await consoleRequest(
    layout,
    port,
    'POST',
    '/api/clusters',
    { address: agent.address, port: agent.port, agentPassword: agent.password },
    { cookie: login.cookie, csrfToken },
  );
  if (added.status === 201) return null;
  const message = (JSON.parse(added.body) as { error?: { message?: string } }).error?.message;
  return `HTTP ${added.status}: ${message ?? added.body}`;
}
