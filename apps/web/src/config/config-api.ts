import {
  type ConfigEditBody,
  type ConfigEditRequestItem,
  type ConfigFileBody,
  clusterConfigViewSchema,
  configFileCheckSchema,
  configFileSchema,
  configHistoryDiffSchema,
  configHistorySchema,
  configPreviewSchema,
} from '@quorate/protocol';

type ClusterPropertyChanges = Extract<
  ConfigEditRequestItem,
  { op: 'setClusterProperties' }
>['changes'];

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

export function setClusterPropertiesEdit(changes: ClusterPropertyChanges): ConfigEditRequestItem {
  return { op: 'setClusterProperties', changes };
}

export function downloadConfigFile(cluster: string, withSecrets: boolean) {
  return withSecrets
    ? callApi('POST', `${base(cluster)}/file/with-secrets`, { body: {}, schema: configFileSchema })
    : callApi('GET', `${base(cluster)}/file`, { schema: configFileSchema });
}

export function checkConfigFile(cluster: string, body: ConfigFileBody) {
  return callApi('POST', `${base(cluster)}/file/check`, { body, schema: configFileCheckSchema });
}

export function sendConfigFile(cluster: string, body: ConfigFileBody) {
  return callApi('POST', `${base(cluster)}/file/commit`, { body, schema: configPreviewSchema });
}

export function loadConfigHistory(cluster: string) {
  return callApi('GET', `${base(cluster)}/history`, { schema: configHistorySchema });
}

export function loadHistoryDiff(cluster: string, from: number, to: number) {
  return callApi('GET', `${base(cluster)}/history/diff?from=${from}&to=${to}`, {
    schema: configHistoryDiffSchema,
  });
}

export function rollbackConfig(
  cluster: string,
  version: number,
  baseVersion: number,
  step: 'preview' | 'commit',
) {
  return callApi('POST', `${base(cluster)}/history/${version}/rollback/${step}`, {
    body: { baseVersion },
    schema: configPreviewSchema,
  });
}
