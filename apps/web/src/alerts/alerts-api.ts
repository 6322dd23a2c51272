import {
  alertDeliveryLogSchema,
  alertTargetListSchema,
  alertTargetSchema,
  type NewAlertTarget,
  testAlertOutcomeSchema,
} from '@quorate/protocol';
import { callApi } from '../api/api-client.js';

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/alerts`;

export function listTargets(cluster: string) {
  return callApi('GET', `${base(cluster)}/targets`, { schema: alertTargetListSchema });
}

export function addTarget(cluster: string, target: NewAlertTarget) {
  return callApi('POST', `${base(cluster)}/targets`, { body: target, schema: alertTargetSchema });
}

export function deleteTarget(cluster: string, id: number) {
  return callApi('DELETE', `${base(cluster)}/targets/${id}`);
}

export function sendTestAlert(cluster: string, id: number) {
  return callApi('POST', `${base(cluster)}/targets/${id}/test`, {
    body: {},
    schema: testAlertOutcomeSchema,
  });
}

export function listDeliveries(cluster: string) {
  return callApi('GET', `${base(cluster)}/deliveries`, { schema: alertDeliveryLogSchema });
}
