import type { ApiErrorBody, ErrorCode } from '@quorate/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ConsoleError } from '../errors/console-error.js';
import { RequestValidationError } from '../http/zod-type-provider.js';

interface Answer {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Every failure, whatever raised it, becomes one JSON shape: `{ error: { code, message } }`. */
function answerFor(error: FastifyError | Error): Answer {
  if (error instanceof ConsoleError) {
    return { ...error, status: error.statusCode, message: error.message };
  }
  if (error instanceof RequestValidationError) {
    return {
      status: 400,
      code: 'CONSOLE_INVALID_REQUEST',
      message: error.message,
      field: error.field,
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      code: 'CONSOLE_UNSUPPORTED_MEDIA_TYPE',
      message: 'send the body as application/json',
    };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: 'CONSOLE_INVALID_REQUEST', message: error.message };
  }
  return { status: 500, code: 'CONSOLE_INTERNAL', message: 'the console failed; its log says why' };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, answer: Answer) {
  request.errorCode = answer.code;
  const body: ApiErrorBody = {
    error: {
      code: answer.code,
      message: answer.message,
      ...(answer.field ? { field: answer.field } : {}),
    },
  };
  return reply
    .status(answer.status)
    .headers(answer.headers ?? {})
    .type('application/json')
    .send(body);
}

export interface ErrorsPluginOptions {
  /** Answers a page request no route matched (the web app's own routes), or null for 404. */
  readonly pageFallback: ((reply: FastifyReply) => FastifyReply) | null;
}

export const errorsPlugin = fp<ErrorsPluginOptions>(async (app: FastifyInstance, options) => {
  app.decorateRequest('errorCode', null);
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const answer = answerFor(error);
    if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, answer);
  });
  app.setNotFoundHandler((request, reply) => {
    // A page path (no file extension) is one of the web app's own routes; a missing asset is a 404.
    const path = request.url.split('?')[0] ?? '';
    const isPage = request.method === 'GET' && !path.startsWith('/api/') && !/\.\w+$/.test(path);
    if (isPage && options.pageFallback) return options.pageFallback(reply);
    return sendError(request, reply, {
      status: 404,
      code: 'CONSOLE_NOT_FOUND',
      message: `no ${request.method} ${request.url.split('?')[0]} in this console`,
    });
  });
});
