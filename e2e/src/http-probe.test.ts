// The failover benchmark's client probe (fixtures/http-probe.mjs), run against a server on the
// loopback address: it names the node that served the page, says `-` when nothing answers, prints
// only changes, and stamps them with the clock this process reads too.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const probeScript = fileURLToPath(new URL('../fixtures/http-probe.mjs', import.meta.url));

function listen(page: string): Promise<Server> {
  const server = createServer((_req, res) => res.end(page));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('http-probe.mjs', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const undo of cleanup.splice(0)) undo();
  });

  it('prints the serving node on each change, then - once the server is gone', async () => {
    const server = await listen('hello from node2\n');
    const { port } = server.address() as AddressInfo;
    const startNs = process.hrtime.bigint();
    const probe = spawn(process.execPath, [probeScript, '127.0.0.1', String(port), '10', '50']);
    cleanup.push(() => probe.kill('SIGKILL'));
    const lines: string[] = [];
    await new Promise<void>((resolve) => {
      createInterface({ input: probe.stdout }).on('line', (line) => {
        lines.push(line);
        // Served once: the server goes, so the next change is to nothing answering.
        if (line.endsWith(' node2')) {
          server.close();
          server.closeAllConnections();
        }
        if (line.endsWith(' -')) resolve();
      });
    });
    const endNs = process.hrtime.bigint();
    expect(lines[0]).toBe('probing');
    const changes = lines.slice(1).map((line) => line.split(' '));
    expect(changes.map(([, answer]) => answer)).toEqual(['node2', '-']);
    const stamps = changes.map(([ns]) => BigInt(ns as string));
    expect(stamps[0]).toBeGreaterThan(startNs);
    expect(stamps[1]).toBeGreaterThan(stamps[0] as bigint);
    expect(stamps[1]).toBeLessThan(endNs);
  });
});
