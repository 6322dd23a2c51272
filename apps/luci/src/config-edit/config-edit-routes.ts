import {
  clusterConfigViewSchema,
  clusterNameSchema,
  configEditBodySchema,
  configPreviewSchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import { planChange, previewOf, readConfigView, sendChange } from './config-editor.js';
import { configFileRoutes } from './config-file-routes.js';
import { recordCommit } from './config-history.js';
import { configHistoryRoutes } from './config-history-routes.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });

/** What the audit log names as the target of a save: its edits, by operation and object. */
function editSummary(edits: readonly { op: string; [key: string]: unknown }[]): string {
  const words = edits.map((e) => {
    const subject = e.name ?? e.node ?? e.service ?? e.domain ?? e.primary ?? e.type ?? '';
    return `${e.op} ${String(subject)}`.trim();
  });
  const text = words.join(', ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * The configuration editor: `GET …/config` (view role) reads the committed file with its
 * secrets redacted and the agents' meta-data; `POST …/config/preview` (config role) shows what a
 * list of edits makes of it; `POST …/config/commit` (config role, audited) sends the same result
 * to the cluster as config_version + 1, where the leader validates and commits it.
 */
export async function configEditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await app.register(configFileRoutes);
  await app.register(configHistoryRoutes);

  app.get(
    '/api/clusters/:cluster/config',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: { params: clusterParams, response: { 200: clusterConfigViewSchema } },
    },
    async (request) => {
      const { cluster } = request.params;
      const user = request.principal!.user;
      const row = app.store.clusters.byName(cluster);
      if (!row) throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${cluster}"`);
      const roles = app.clusterRegistry.rolesOf(user, row);
      return readConfigView(
        cluster,
        app.clusterRegistry.linkOf(cluster),
        roles.includes('config'),
        app.now(),
      );
    },
  );

  app.post(
    '/api/clusters/:cluster/config/preview',
    {
      // A POST, so audited like any other (the log shows who prepared which change).
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'config.preview' },
      schema: {
        params: clusterParams,
        body: configEditBodySchema,
        response: { 200: configPreviewSchema },
      },
    },
    async (request) => {
      const { cluster } = request.params;
      request.auditNote.target = editSummary(request.body.edits);
      return previewOf(
        await planChange(cluster, app.clusterRegistry.linkOf(cluster), request.body, app.now()),
        false,
      );
    },
  );

  app.post(
    '/api/clusters/:cluster/config/commit',
    {
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'config.update' },
      schema: {
        params: clusterParams,
        body: configEditBodySchema,
        response: { 200: configPreviewSchema },
      },
    },
    async (request) => {
      const { cluster } = request.params;
      request.auditNote.target = editSummary(request.body.edits);
      const link = app.clusterRegistry.linkOf(cluster);
      const change = await planChange(cluster, link, request.body, app.now());
      const text = await sendChange(cluster, link, change);
      const version = change.after.configVersion ?? request.body.baseVersion + 1;
      const user = request.principal!.user.name;
      recordCommit(app.store, { cluster, version, text, user, source: 'edit' }, app.now());
      return previewOf(change, true);
    },
  );
}
