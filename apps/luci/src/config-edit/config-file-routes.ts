import { parseClusterConf, redactedConfigText } from '@quorate/core';
import {
  CONFIG_FILE_MAX_BYTES,
  clusterNameSchema,
  configFileBodySchema,
  configFileCheckSchema,
  configFileSchema,
  configPreviewSchema,
} from '@quorate/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsoleError } from '../errors/console-error.js';
import type { ZodTypeProvider } from '../http/zod-type-provider.js';
import { committedConfig, previewOf, requireLink, sendChange } from './config-editor.js';
import { planUpload } from './config-file.js';
import { recordCommit } from './config-history.js';

const clusterParams = z.strictObject({ cluster: clusterNameSchema });
// The file travels as a JSON string: escaped, it may take up to twice its size.
const uploadBodyLimit = 2 * CONFIG_FILE_MAX_BYTES + 4096;

/** The first error and how many more, as one refusal message. */
function refusalOf(errors: readonly { path: string; rule: string; message: string }[]) {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return { message: `${first.path}: ${first.message} [${first.rule}]${more}`, field: first.path };
}

/**
 * The raw cluster.conf: `GET …/config/file` (view) with every fence secret redacted;
 * `POST …/config/file/with-secrets` (admins only, audited) the real file; an upload checked
 * (`…/file/check`: the validator's errors, or the diff) and sent (`…/file/commit`). An upload's
 * redacted secrets (`********`, as a download gives them) keep the committed values.
 */
export async function configFileRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/clusters/:cluster/config/file',
    {
      config: { access: { kind: 'cluster', role: 'view' } },
      schema: { params: clusterParams, response: { 200: configFileSchema } },
    },
    async (request) => {
      const { cluster } = request.params;
      const live = requireLink(cluster, app.clusterRegistry.linkOf(cluster));
      const config = await committedConfig(cluster, live);
      const text = redactedConfigText(parseClusterConf(config.text).doc);
      return { version: config.version, text, redacted: true };
    },
  );

  app.post(
    '/api/clusters/:cluster/config/file/with-secrets',
    {
      config: { access: { kind: 'admin' }, audit: 'config.download-secrets' },
      schema: {
        params: clusterParams,
        body: z.strictObject({}),
        response: { 200: configFileSchema },
      },
    },
    async (request) => {
      const { cluster } = request.params;
      const live = requireLink(cluster, app.clusterRegistry.linkOf(cluster));
      const config = await committedConfig(cluster, live);
      request.auditNote.target = `cluster.conf version ${config.version}`;
      return { version: config.version, text: config.text, redacted: false };
    },
  );

  app.post(
    '/api/clusters/:cluster/config/file/check',
    {
      bodyLimit: uploadBodyLimit,
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'config.upload-check' },
      schema: {
        params: clusterParams,
        body: configFileBodySchema,
        response: { 200: configFileCheckSchema },
      },
    },
    async (request) => {
      const { cluster } = request.params;
      const link = app.clusterRegistry.linkOf(cluster);
      const planned = await planUpload(cluster, link, request.body, app.now());
      if (!planned.ok) return { valid: false, errors: [...planned.errors], preview: null };
      return { valid: true, errors: [], preview: previewOf(planned.change, false) };
    },
  );

  app.post(
    '/api/clusters/:cluster/config/file/commit',
    {
      bodyLimit: uploadBodyLimit,
      config: { access: { kind: 'cluster', role: 'config' }, audit: 'config.upload' },
      schema: {
        params: clusterParams,
        body: configFileBodySchema,
        response: { 200: configPreviewSchema },
      },
    },
    async (request) => {
      const { cluster } = request.params;
      const link = app.clusterRegistry.linkOf(cluster);
      const planned = await planUpload(cluster, link, request.body, app.now());
      if (!planned.ok) {
        const { message, field } = refusalOf(planned.errors);
        throw new ConsoleError('CONSOLE_INVALID_REQUEST', message, { field });
      }
      const text = await sendChange(cluster, link, planned.change);
      const version = planned.change.after.configVersion!;
      request.auditNote.target = `cluster.conf version ${version}`;
      const user = request.principal!.user.name;
      recordCommit(app.store, { cluster, version, text, user, source: 'upload' }, app.now());
      return previewOf(planned.change, true);
    },
  );
}
