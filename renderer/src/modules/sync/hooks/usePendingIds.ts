import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import type { ClientWritableCollection } from '@shared/schemas';
import { pendingIds$ } from '@shared/sync/replication/outbox';
import { useMemo } from 'react';

const none: ReadonlySet<string> = new Set();

/** Ids of the collection's records holding local changes the server has not acknowledged. */
export function usePendingIds(collection: ClientWritableCollection): ReadonlySet<string> {
  const db = useDatabase();
  const ids$ = useMemo(() => pendingIds$(db, collection), [db, collection]);
  return useObservable(ids$, none).value;
}
