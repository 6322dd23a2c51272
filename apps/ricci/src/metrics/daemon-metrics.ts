// How the daemon gets its `/metrics` (`--metrics-listen HOST:PORT`): the node starts with a log
// that also feeds the metrics, and the metrics server stops with the node.
import type { JsonLog } from '../daemon/json-log.js';
import { AgentMetrics } from './agent-metrics.js';
import { parseListenAddress, serveMetrics } from './metrics-server.js';

interface StoppableNode {
  stop(): Promise<void>;
}

export async function startWithMetrics<T extends StoppableNode>(
  listen: string | undefined,
  agent: { readonly node: string; readonly version: string },
  log: JsonLog,
  start: (log: JsonLog) => Promise<T>,
): Promise<T> {
  if (listen === undefined) return start(log);
  const metrics = new AgentMetrics(agent.node, agent.version, Date.now());
  const running = await start(metrics.observing(log));
  const { host, port } = parseListenAddress(listen);
  let server: Awaited<ReturnType<typeof serveMetrics>>;
  try {
    server = await serveMetrics(host, port, () => metrics.text());
  } catch (error) {
    await running.stop();
    throw new Error(`--metrics-listen ${listen}: ${(error as Error).message}`);
  }
  log('info', 'metrics-listening', { host, port: server.port });
  const stopNode = running.stop.bind(running);
  return Object.assign(running, {
    stop: async () => {
      await server.close();
      await stopNode();
    },
  });
}
