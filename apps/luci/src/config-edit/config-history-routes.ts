import { diffHunks, parseClusterConf, redactedConfigText } from '@quorate/core';
import {
  clusterNameSchema,
  configFileSchema,
  configHistoryDiffQuerySchema,
  configHistoryDiffSchema,
  configHistorySchema,
  configPreviewSchema,
  configRollbackBodySchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import type { ClusterRow, ConsoleStore } from '../store/index.js';
import { previewOf, sendChange } from './config-editor.js';
import { planRollback } from './config-file.js';
import { recordCommit } from './config-history.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });
const versionParams = z.strictObject({
  cluster: clusterNameSchema,
  version: z.coerce.number().int().nonnegative(),
});

function clusterRow(store: ConsoleStore, cluster: string): ClusterRow {
  const row = store.clusters.byName(cluster);
  if (!row) throw new ConsoleError('CONSOLE_NOT_FOUND', `no cluster named "${cluster}"`);
  return row;
}

function recorded(store: ConsoleStore, row: ClusterRow, version: number, field: string) {
  const record = store.configHistory.byVersion(row.id, version);
  if (!record) {
    throw new ConsoleError(
      'CONSOLE_NOT_FOUND',
      `the console has no record of version ${version} of cluster "${row.name}"`,
      { field },
    );
  }
  return record;
}

/**
 * The configuration history: every version this console committed (who, when, what) or saw
 * committed, a diff between any two (secrets redacted, a changed secret marked), and rollback,
 * which commits an old version's text as config_version + 1, through joint consensus when it
 * changes the voting set (the agents do that; the preview says so).
 */
export async function configHistoryRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const view = { kind: 'cluster', role: 'view' } as const;
  const config = { kind: 'cluster', role: 'config' } as const;

  app.get(
    '/api/clusters/:cluster/config/history',
    {
      config: { access: view },
      schema: { params: clusterParams, response: { 200: configHistorySchema } },
    },
    async (request) => {
      const row = clusterRow(app.store, request.params.cluster);
      const entries = app.store.configHistory.list(row.id).map((r) => ({
        version: r.version,
        recordedAt: new Date(r.recordedAt).toISOString(),
        recordedBy: r.recordedBy,
        source: r.source,
        summary: r.summary,
        rollbackOf: r.rollbackOf,
      }));
      return { entries };
    },
  );

  app.get(
    '/api/clusters/:cluster/config/history/diff',
    {
      config: { access: view },
      schema: {
        params: clusterParams,
        querystring: configHistoryDiffQuerySchema,
        response: { 200: configHistoryDiffSchema },
      },
    },
    async (request) => {
      const row = clusterRow(app.store, request.params.cluster);
      const { from, to } = request.query;
      const older = parseClusterConf(recorded(app.store, row, from, 'from').text).doc;
      const newer = parseClusterConf(recorded(app.store, row, to, 'to').text).doc;
      const hunks = diffHunks(redactedConfigText(older), redactedConfigText(newer, older));
      return { from, to, hunks: hunks.map((h) => ({ lines: h.lines.map((l) => ({ ...l })) })) };
    },
  );

  app.get(
    '/api/clusters/:cluster/config/history/:version',
    {
      config: { access: view },
      schema: { params: versionParams, response: { 200: configFileSchema } },
    },
    async (request) => {
      const row = clusterRow(app.store, request.params.cluster);
      const record = recorded(app.store, row, request.params.version, 'version');
      const text = redactedConfigText(parseClusterConf(record.text).doc);
      return { version: record.version, text, redacted: true };
    },
  );

  for (const step of ['preview', 'commit'] as const) {
    app.post(
      `/api/clusters/:cluster/config/history/:version/rollback/${step}`,
      {
        config: {
          access: config,
          audit: step === 'commit' ? 'config.rollback' : 'config.rollback-preview',
        },
        schema: {
          params: versionParams,
          body: configRollbackBodySchema,
          response: { 200: configPreviewSchema },
        },
      },
      async (request) => {
        const { cluster, version } = request.params;
        request.auditNote.target = `rollback to version ${version}`;
        const row = clusterRow(app.store, cluster);
        const target = recorded(app.store, row, version, 'version');
        const link = app.clusterRegistry.linkOf(cluster);
        const change = await planRollback(
          cluster,
          link,
          target,
          request.body.baseVersion,
          app.now(),
        );
        if (step === 'preview') return previewOf(change, false);
        const text = await sendChange(cluster, link, change);
        const user = request.principal!.user.name;
        recordCommit(
          app.store,
          {
            cluster,
            version: change.after.configVersion!,
            text,
            user,
            source: 'rollback',
            rollbackOf: version,
          },
          app.now(),
        );
        return previewOf(change, true);
      },
    );
  }
}
