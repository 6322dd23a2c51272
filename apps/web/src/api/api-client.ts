import { apiErrorBodySchema, csrfHeaderName } from '@quorate/protocol';
import type { z } from 'zod';

/** A refusal from the console, in its words: the code, the message, the field it is about. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One call to the console's API. The answer is checked against `schema` (the same schema the
 * server used), so a mismatch fails here, loudly, instead of somewhere in a component.
 */
export async function callApi<Schema extends z.ZodType | undefined>(
  method: Method,
  path: string,
  options: { body?: unknown; schema?: Schema } = {},
): Promise<Schema extends z.ZodType ? z.output<Schema> : undefined> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[csrfHeaderName] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!response.ok) throw await toApiError(response);
  if (!options.schema || response.status === 204) return undefined as never;
  return options.schema.parse(await response.json()) as never;
}

async function toApiError(response: Response): Promise<ApiError> {
  const parsed = apiErrorBodySchema.safeParse(await response.json().catch(() => null));
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  const retry = Number.isFinite(retryAfter) ? retryAfter : undefined;
  if (!parsed.success) {
    return new ApiError(
      response.status,
      'HTTP',
      `the console answered ${response.status}`,
      undefined,
      retry,
    );
  }
  const { code, message, field } = parsed.data.error;
  return new ApiError(response.status, code, message, field, retry);
}
