import {
  alertDeliveryLogSchema,
  alertTargetListSchema,
  alertTargetParamsSchema,
  alertTargetSchema,
  clusterNameSchema,
  emptyBodySchema,
  newAlertTargetSchema,
  testAlertOutcomeSchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import type { ClusterRow } from '../store/index.js';
import type { AlertService } from './alert-service.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });
/** How many deliveries the page shows. */
const deliveryPageSize = 100;

/**
 * A cluster's alert targets and delivery log. Anyone who may view the cluster sees the targets
 * (never their secrets) and the log; the `config` role adds, deletes and tests targets.
 */
export async function alertRoutes(fastify: FastifyInstance, options: { alerts: AlertService }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const clusterRow = (name: string): ClusterRow => {
    const row = app.store.clusters.byName(name);
    if (!row) throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${name}"`);
    return row;
  };
  const targetRecord = (cluster: ClusterRow, id: number) => {
    const record = app.store.alerts.target(cluster.id, id);
    if (!record) throw new ConsoleError('CONSOLE_NOT_FOUND', `no alert target ${id}`);
    return record;
  };

  app.get(
    '/api/clusters/:cluster/alerts/targets',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: { params: clusterParams, response: { 200: alertTargetListSchema } },
    },
    async (request) => {
      const row = clusterRow(request.params.cluster);
      return { targets: app.store.alerts.targets(row.id).map((r) => r.target) };
    },
  );

  app.post(
    '/api/clusters/:cluster/alerts/targets',
    {
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'alert.target-add' },
      schema: {
        params: clusterParams,
        body: newAlertTargetSchema,
        response: { 201: alertTargetSchema },
      },
    },
    async (request, reply) => {
      const row = clusterRow(request.params.cluster);
      request.auditNote.target = request.body.name;
      const target = app.store.alerts.addTarget(row.id, request.body, app.now());
      if (!target) {
        throw new ConsoleError(
          'CONSOLE_CONFLICT',
          `this cluster already has an alert target named "${request.body.name}"`,
          { field: 'name' },
        );
      }
      return reply.status(201).send(target);
    },
  );

  app.delete(
    '/api/clusters/:cluster/alerts/targets/:target',
    {
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'alert.target-delete' },
      schema: { params: alertTargetParamsSchema },
    },
    async (request, reply) => {
      const row = clusterRow(request.params.cluster);
      const record = targetRecord(row, request.params.target);
      request.auditNote.target = record.target.name;
      app.store.alerts.deleteTarget(row.id, record.target.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/clusters/:cluster/alerts/targets/:target/test',
    {
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'alert.test' },
      schema: {
        params: alertTargetParamsSchema,
        body: emptyBodySchema,
        response: { 200: testAlertOutcomeSchema },
      },
    },
    async (request) => {
      const row = clusterRow(request.params.cluster);
      const record = targetRecord(row, request.params.target);
      request.auditNote.target = record.target.name;
      const user = request.principal!.user.name;
      return { delivery: await options.alerts.sendTest(row.name, record, user) };
    },
  );

  app.get(
    '/api/clusters/:cluster/alerts/deliveries',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: { params: clusterParams, response: { 200: alertDeliveryLogSchema } },
    },
    async (request) => {
      const row = clusterRow(request.params.cluster);
      return { deliveries: app.store.alerts.deliveries(row.id, deliveryPageSize) };
    },
  );
}
