import { agentLogsSchema } from '@quorate/protocol';
import { callApi } from '../api/api-client.js';

/** The newest lines of one node's agent log, oldest first, as the agent sent them. */
export function fetchAgentLogs(cluster: string, node: string, limit: number) {
  const path = `/api/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(node)}/logs`;
  return callApi('GET', `${path}?limit=${limit}`, { schema: agentLogsSchema });
}
