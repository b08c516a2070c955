import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { type ObservableState, useObservable } from '@renderer/modules/database/hooks/useObservable';
import { type SyncIssue, syncIssues$ } from '@shared/sync/replication/sync-issues';
import { useMemo } from 'react';

export function useSyncIssues(): ObservableState<SyncIssue[]> {
  const db = useDatabase();
  const issues$ = useMemo(() => syncIssues$(db), [db]);
  return useObservable(issues$, [] as SyncIssue[]);
}
