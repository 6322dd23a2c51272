import type { FastifyInstance, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';

/**
 * Zod schemas as Fastify route schemas: one schema per endpoint validates the request and types
 * the handler. Zod rather than TypeBox because `packages/protocol` already defines every
 * cross-process shape in zod, so the browser validates with the very same schemas; the provider
 * is these few lines rather than a dependency that pulls in swagger as a peer.
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/** A request part (body, params, querystring) that failed its schema. */
export class RequestValidationError extends Error {
  constructor(
    readonly part: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    const first = issues[0];
    super(first ? `${describePath(part, first.path)}: ${first.message}` : `${part} is invalid`);
    this.name = 'RequestValidationError';
  }

  get field(): string | undefined {
    const first = this.issues[0];
    return first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  }
}

function describePath(part: string, path: readonly PropertyKey[]): string {
  return path.length === 0 ? part : path.map(String).join('.');
}

export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (data) => {
    const result = (schema as z.ZodType).safeParse(data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(httpPart ?? 'request', result.error.issues) };
  });
  // Response schemas type the handlers; the bodies themselves are plain JSON.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}
