import { ApiError } from '../api/api-client.js';

/** The console's message for `field`, when the failure is about that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

/** The message for the form as a whole: any failure not about one of the form's own fields. */
export function formError(error: unknown, fields: readonly string[]): string | undefined {
  if (error === null || error === undefined) return undefined;
  if (error instanceof ApiError) {
    return error.field && fields.includes(error.field) ? undefined : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
