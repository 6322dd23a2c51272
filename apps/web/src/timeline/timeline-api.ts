import { serviceHistorySchema, type TimelineQuery, timelinePageSchema } from '@quorate/protocol';
import { callApi } from '../api/api-client.js';
import { searchOf } from './timeline-filter.js';

const base = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}`;

export function fetchTimeline(cluster: string, query: TimelineQuery, before?: number) {
  return callApi('GET', `${base(cluster)}/events${searchOf(query, before)}`, {
    schema: timelinePageSchema,
  });
}

export function fetchServiceHistory(cluster: string, service: string) {
  return callApi('GET', `${base(cluster)}/services/${encodeURIComponent(service)}/history`, {
    schema: serviceHistorySchema,
  });
}

export const timelinePath = (cluster: string) => `/clusters/${encodeURIComponent(cluster)}/events`;
export const serviceHistoryPath = (cluster: string, service: string) =>
  `/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/history`;
export const nodeLogsPath = (cluster: string, node: string) =>
  `/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(node)}/logs`;
