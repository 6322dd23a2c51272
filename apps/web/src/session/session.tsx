import { type SessionInfo, sessionInfoSchema, setupStatusSchema } from '@quorate/protocol';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, callApi, setCsrfToken } from '../api/api-client.js';

export type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'setup' }
  | { readonly kind: 'signed-out'; readonly notice?: string }
  | { readonly kind: 'signed-in'; readonly info: SessionInfo }
  | { readonly kind: 'unreachable'; readonly message: string };

interface SessionApi {
  readonly state: SessionState;
  signIn(user: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** The server ended the session (idle expiry): back to the login page, saying why. */
  ended(notice: string): void;
  /** First start is done: the admin now signs in. */
  setUp(): void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}

/** The signed-in user's session; only rendered where someone is signed in. */
export function useSignedIn(): SessionInfo {
  const { state } = useSession();
  if (state.kind !== 'signed-in') throw new Error('useSignedIn without a session');
  return state.info;
}

async function discover(): Promise<SessionState> {
  const { needsSetup } = await callApi('GET', '/api/setup', { schema: setupStatusSchema });
  if (needsSetup) return { kind: 'setup' };
  try {
    return {
      kind: 'signed-in',
      info: await callApi('GET', '/api/session', { schema: sessionInfoSchema }),
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { kind: 'signed-out' };
    throw error;
  }
}

export function SessionProvider(props: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });

  useEffect(() => {
    discover().then(setState, (error: unknown) =>
      setState({
        kind: 'unreachable',
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  }, []);

  useEffect(() => {
    setCsrfToken(state.kind === 'signed-in' ? state.info.csrfToken : null);
  }, [state]);

  const signIn = useCallback(async (user: string, password: string) => {
    const info = await callApi('POST', '/api/session', {
      body: { user, password },
      schema: sessionInfoSchema,
    });
    setCsrfToken(info.csrfToken);
    setState({ kind: 'signed-in', info });
  }, []);

  const signOut = useCallback(async () => {
    await callApi('DELETE', '/api/session').catch(() => undefined);
    setState({ kind: 'signed-out', notice: 'You signed out.' });
  }, []);

  const ended = useCallback((notice: string) => setState({ kind: 'signed-out', notice }), []);
  const setUp = useCallback(
    () => setState({ kind: 'signed-out', notice: 'The admin password is set. Sign in as admin.' }),
    [],
  );

  return (
    <SessionContext.Provider value={{ state, signIn, signOut, ended, setUp }}>
      {props.children}
    </SessionContext.Provider>
  );
}
