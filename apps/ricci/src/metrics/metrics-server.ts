// `/metrics` over plain HTTP on an address of its own (`ricci --metrics-listen HOST:PORT`), not on
// the agent's peer port: that port admits only TLS clients holding a certificate of the cluster
// CA that names a node of the cluster, which a Prometheus server does not and should not have.
// Bind it to loopback or a management network; it shows state, never secrets.
import { createServer, type Server } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '@quorate/protocol';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveMetrics(
  host: string,
  port: number,
  text: () => string,
): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
    response.end(request.method === 'HEAD' ? undefined : text());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `HOST:PORT` (IPv6 in brackets) as given to --metrics-listen; throws naming the rule. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || !(port >= 0 && port <= 65535)) {
    throw new Error(`--metrics-listen: "${value}" is not HOST:PORT (e.g. 127.0.0.1:9111)`);
  }
  return { host: match[1] ?? match[2] ?? '', port };
}
