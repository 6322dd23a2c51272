import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';
import { useSession } from '../session/session.js';
import {
  browserEnvironment,
  LiveConnection,
  type LiveSnapshot,
  liveUrl,
} from './live-connection.js';

const LiveContext = createContext<LiveConnection | null>(null);

/** Opens the tab's one live socket for as long as someone is signed in. */
export function LiveProvider(props: { children: ReactNode }) {
  const { ended } = useSession();
  const [connection] = useState(
    () => new LiveConnection(liveUrl(window.location), browserEnvironment),
  );
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot);
  useEffect(() => {
    if (snapshot.sessionEnded === 'expired')
      ended('Your session ended after a while without activity. Sign in again.');
    if (snapshot.sessionEnded === 'signed-out') ended('You signed out (perhaps in another tab).');
  }, [snapshot.sessionEnded, ended]);
  return <LiveContext.Provider value={connection}>{props.children}</LiveContext.Provider>;
}

export function useLive(): LiveSnapshot {
  const connection = useContext(LiveContext);
  if (!connection) throw new Error('useLive outside LiveProvider');
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}
