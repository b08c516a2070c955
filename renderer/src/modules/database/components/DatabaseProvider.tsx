import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { ErrorPanel } from '@renderer/modules/app/components/ErrorBoundary';
import { restoreCurrentUser } from '@renderer/modules/sync/utils/currentUser';
import { type CrmDatabase, createCrmDatabase, crmStorage } from '@shared/sync/database';
import { openSearchStoreEarly, searchIndexOf } from '@shared/sync/search/search-index';
import { createContext, type ReactNode, useEffect, useState } from 'react';

export const DatabaseContext = createContext<CrmDatabase | null>(null);

/**
 * One database per page. Opened once at module level because React (StrictMode, remounts) may run
 * effects twice, and RxDB refuses a second open database with the same name.
 */
let databasePromise: Promise<CrmDatabase> | null = null;
const DATABASE_NAME = 'fieldbook';
/**
 * Starts opening the window's database (once; later calls return the same promise). main.tsx calls it
 * before React's first render, so IndexedDB opens while the app renders; failures reach the provider.
 */
export function openDatabase(): Promise<CrmDatabase> {
  if (databasePromise !== null) return databasePromise;
  // Read by bench/ from the performance timeline: where the time before the first row goes.
  const started = performance.now();
  // The search index's own IndexedDB opens beside the database's (searchIndexOf below takes it over).
  openSearchStoreEarly(DATABASE_NAME);
  // Multi-instance: the import's writer worker opens the same database, and this window must see its writes.
  databasePromise = createCrmDatabase({
    name: DATABASE_NAME,
    multiInstance: true,
    // A list's page, a pipeline column: one IndexedDB request each instead of one per document.
    storage: crmStorage(undefined, { pagedQueries: true }),
  }).then(async (db) => {
    performance.measure('fieldbook:database-open', { start: started, end: performance.now() });
    await restoreCurrentUser(db);
    // Opens now so it follows every write from the start (catching up costs nothing when nothing was missed).
    searchIndexOf(db);
    // Statically false unless built for the end-to-end tests, so the hook is left out of real bundles.
    if (import.meta.env.VITE_E2E_HOOKS === '1')
      (await import('@renderer/testing/e2eHooks')).installE2EHooks(db);
    return db;
  });
  return databasePromise;
}

type OpenState =
  | { status: 'opening' }
  | { status: 'open'; db: CrmDatabase }
  | { status: 'failed'; error: unknown };

export function DatabaseProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<OpenState>({ status: 'opening' });

  useEffect(() => {
    let active = true;
    openDatabase().then(
      (db) => active && setState({ status: 'open', db }),
      (error: unknown) => {
        console.error('Could not open the local database', error);
        if (active) setState({ status: 'failed', error });
      },
    );
    return () => {
      active = false;
    };
  }, []);

  if (state.status === 'failed') {
    return <ErrorPanel title="The local database could not be opened" error={state.error} />;
  }
  if (state.status === 'opening') {
    return (
      <Box role="status" sx={{ display: 'flex', alignItems: 'center', gap: 2, p: 4 }}>
        <CircularProgress size={24} aria-hidden />
        <Typography>Opening the local database…</Typography>
      </Box>
    );
  }
  return <DatabaseContext.Provider value={state.db}>{children}</DatabaseContext.Provider>;
}
