import { type ErrorCode, errorCodes } from '@quorate/protocol';

/** The console's error codes (protocol's registry) with the HTTP status each one answers. */
const consoleErrorStatus = {
  CONSOLE_INVALID_REQUEST: 400,
  CONSOLE_UNSUPPORTED_MEDIA_TYPE: 415,
  CONSOLE_NOT_SIGNED_IN: 401,
  CONSOLE_LOGIN_FAILED: 401,
  CONSOLE_LOGIN_RATE_LIMITED: 429,
  CONSOLE_FORBIDDEN: 403,
  CONSOLE_CROSS_SITE: 403,
  CONSOLE_CSRF_TOKEN: 403,
  CONSOLE_NOT_SET_UP: 409,
  CONSOLE_ALREADY_SET_UP: 409,
  CONSOLE_NOT_FOUND: 404,
  CONSOLE_CONFLICT: 409,
  CONSOLE_LINK_UNAVAILABLE: 503,
  CONSOLE_ACTION_REFUSED: 409,
  CONSOLE_INTERNAL: 500,
} as const satisfies Partial<Record<ErrorCode, number>>;

export type ConsoleErrorCode = keyof typeof consoleErrorStatus;

export interface ConsoleErrorOptions {
  /** The request field the message is about, as a dotted path. */
  readonly field?: string;
  /** Extra response headers (Retry-After for rate limiting). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The failure this one words for people (never shown; for the handler that knows more). */
  readonly cause?: unknown;
}

/** A refusal the console answers with a code, its HTTP status and a message for people. */
export class ConsoleError extends Error {
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: ConsoleErrorCode,
    message: string = errorCodes[code],
    options: ConsoleErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConsoleError';
    this.statusCode = consoleErrorStatus[code];
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}
