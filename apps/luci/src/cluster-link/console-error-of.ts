import { ConsoleError } from '../errors/console-error.js';
import { AgentRefusal } from './agent-session.js';

/** What the console's routes answer when the first contact fails. */
export function consoleErrorOf(error: unknown): ConsoleError {
  if (!(error instanceof AgentRefusal)) {
    return new ConsoleError('CONSOLE_LINK_UNAVAILABLE', (error as Error).message);
  }
  switch (error.code) {
    case 'CONSOLE_API_AUTH_FAILED':
    case 'CONSOLE_API_NO_PASSWORD':
      return new ConsoleError('CONSOLE_INVALID_REQUEST', error.message, { field: 'agentPassword' });
    case 'CONSOLE_API_AUTH_RATE_LIMITED': {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
      return new ConsoleError('CONSOLE_LOGIN_RATE_LIMITED', error.message, {
        headers: { 'retry-after': String(seconds) },
      });
    }
    default:
      return new ConsoleError('CONSOLE_LINK_UNAVAILABLE', error.message);
  }
}
