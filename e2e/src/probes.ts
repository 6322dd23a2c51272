// Reachability probes that run inside test hosts (never from the root namespace): a server that
// answers TCP with its hostname and logs UDP datagrams, and a one-shot client with a timeout.
import { fileURLToPath } from 'node:url';
import type { HostProcess } from './host-process.js';
import type { TestNetwork } from './test-network.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
export const probeServerScript = fixture('probe-server.mjs');
export const probeClientScript = fixture('probe.mjs');
export const probePort = 7000;

export async function startProbeServer(
  network: TestNetwork,
  host: string,
  port = probePort,
): Promise<HostProcess> {
  const server = network.spawn(host, process.execPath, [probeServerScript, String(port)]);
  await server.waitForLine(/^listening /, 10_000);
  return server;
}

export type ProbeResult = { ok: true; reply: string } | { ok: false; reason: string };

/**
 * Sends one probe from `fromHost` to `address` and reports the reply, or why none came within
 * `timeoutMs` (the probe's own timeout; the process gets a few seconds more to start).
 */
export async function probe(
  network: TestNetwork,
  fromHost: string,
  mode: 'tcp' | 'udp',
  address: string,
  options: { timeoutMs: number; payload?: string; port?: number },
): Promise<ProbeResult> {
  const { timeoutMs, payload = 'ping', port = probePort } = options;
  const args = [probeClientScript, mode, address, String(port), String(timeoutMs), payload];
  const result = await network.exec(fromHost, process.execPath, args, {
    timeoutMs: timeoutMs + 10_000,
  });
  const line = result.stdout.trim();
  if (result.code === 0 && line.startsWith('ok ')) return { ok: true, reply: line.slice(3) };
  return { ok: false, reason: line || result.stderr.trim() || `exit ${result.code}` };
}
