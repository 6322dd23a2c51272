import {
  type ConfigEditBody,
  clusterConfigViewSchema,
  configPreviewSchema,
} from '@quorate/protocol';
import { callApi } from '../api/api-client.js';

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/config`;

export function loadClusterConfig(cluster: string) {
  return callApi('GET', base(cluster), { schema: clusterConfigViewSchema });
}

export function previewConfigChange(cluster: string, body: ConfigEditBody) {
  return callApi('POST', `${base(cluster)}/preview`, { body, schema: configPreviewSchema });
}

export function sendConfigChange(cluster: string, body: ConfigEditBody) {
  return callApi('POST', `${base(cluster)}/commit`, { body, schema: configPreviewSchema });
}
