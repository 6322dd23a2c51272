import { AgentRequestError, AgentUnavailableError } from './connect.js';

// strerror()'s words for the errors a Unix socket connection meets, so messages read as the
// RHCS tools' perror() output did ("Could not connect to CMAN: Connection refused").
const strerror: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTSOCK: 'Socket operation on non-socket',
  ENOTDIR: 'Not a directory',
  ECONNRESET: 'Connection reset by peer',
  TIMEOUT: 'Connection timed out',
};

export function errnoText(error: AgentUnavailableError): string {
  return strerror[error.code] ?? error.message;
}

/** One line naming the socket and why it could not be used, for every command's stderr. */
export function agentUnavailableDetail(error: AgentUnavailableError): string {
  return `no Quorate agent answers at ${error.path} (${errnoText(error)}); is ricci running? (QUORATE_SOCKET overrides the path)`;
}

export function isPermissionError(error: AgentUnavailableError): boolean {
  return error.code === 'EACCES' || error.code === 'EPERM';
}

/** Narrows a caught value to the two errors the client throws; anything else is rethrown. */
export function agentError(error: unknown): AgentUnavailableError | AgentRequestError {
  if (error instanceof AgentUnavailableError || error instanceof AgentRequestError) return error;
  throw error;
}
