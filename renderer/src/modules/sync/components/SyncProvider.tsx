import { bridge } from '@renderer/bridge';
import { fetchedAhead } from '@renderer/modules/app/utils/chunksAhead';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { SyncHandle, SyncStatus } from '@shared/sync';
import { createContext, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BehaviorSubject, type Observable, of, switchMap } from 'rxjs';
import { refreshCurrentUser } from '../utils/currentUser';
import { normalizeServerUrl } from '../utils/serverUrl';

/** Replication is a chunk of its own: the first screen does not wait for its code. */
const loadReplication = fetchedAhead(() => import('@shared/sync/replication/start-sync'));

export type SyncConnection = {
  /** False until the stored settings have been read at start-up. */
  loaded: boolean;
  serverUrl: string;
  connected: boolean;
  status: SyncStatus;
  connect: (serverUrl: string, token: string) => Promise<void>;
  disconnect: () => Promise<void>;
};

export const SyncContext = createContext<SyncConnection | null>(null);

const notConnected: SyncStatus = {
  state: 'offline',
  pending: 0,
  lastError: null,
  received: 0,
  firstSync: false,
};

/**
 * Owns the replication of this window: reads the stored server URL and token through the bridge,
 * starts syncing at start-up when both exist, and restarts it when the user connects elsewhere.
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const db = useDatabase();
  const handleRef = useRef<SyncHandle | null>(null);
  const [handle$] = useState(() => new BehaviorSubject<SyncHandle | null>(null));
  const [loaded, setLoaded] = useState(false);
  const [serverUrl, setServerUrl] = useState('');
  const [startError, setStartError] = useState<string | null>(null);

  const stopCurrent = useCallback(async () => {
    const current = handleRef.current;
    handleRef.current = null;
    handle$.next(null);
    if (current !== null) await current.stop();
  }, [handle$]);

  const start = useCallback(
    async (url: string, token: string) => {
      setStartError(null);
      try {
        const { startSync } = await loadReplication();
        await stopCurrent();
        const handle = startSync(db, { url, token });
        handleRef.current = handle;
        handle$.next(handle);
        // Attribute this device's writes to the signed-in team member; offline, the stored identity stays.
        refreshCurrentUser(db, url, token).catch((error: unknown) =>
          console.warn('Could not read the current user from the sync server', error),
        );
      } catch (error) {
        console.error('Could not start sync', error);
        setStartError(errorMessage(error));
      }
    },
    [db, handle$, stopCurrent],
  );

  useEffect(() => {
    let active = true;
    Promise.all([bridge.getSettings(), bridge.getToken()])
      .then(async ([settings, token]) => {
        if (!active) return;
        setServerUrl(settings.serverUrl);
        if (settings.serverUrl !== '' && token) await start(settings.serverUrl, token);
      })
      .catch((error: unknown) => {
        console.error('Could not read the connection settings', error);
        setStartError(`Could not read the connection settings: ${errorMessage(error)}`);
      })
      .finally(() => active && setLoaded(true));
    return () => {
      active = false;
      stopCurrent().catch((error: unknown) => console.error('Could not stop sync', error));
    };
  }, [start, stopCurrent]);

  const status$ = useMemo<Observable<SyncStatus>>(
    () => handle$.pipe(switchMap((handle) => (handle === null ? of(notConnected) : handle.status$))),
    [handle$],
  );
  const { value: status } = useObservable(status$, notConnected);
  const connected = useObservable(handle$, null).value !== null;

  const connect = useCallback(
    async (url: string, token: string) => {
      const normalized = normalizeServerUrl(url);
      if (token.trim() === '') throw new Error('Enter the access token you were given for this server.');
      await bridge.saveSettings({ serverUrl: normalized });
      await bridge.setToken(token.trim());
      setServerUrl(normalized);
      await start(normalized, token.trim());
    },
    [start],
  );

  const disconnect = useCallback(async () => {
    await stopCurrent();
    // Forget the token so the next start-up does not silently reconnect; the URL stays for convenience.
    await bridge.setToken(null);
  }, [stopCurrent]);

  const value = useMemo<SyncConnection>(
    () => ({
      loaded,
      serverUrl,
      connected,
      status: startError === null ? status : { ...status, state: 'error', lastError: startError },
      connect,
      disconnect,
    }),
    [loaded, serverUrl, connected, status, startError, connect, disconnect],
  );
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}
