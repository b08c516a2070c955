import { useMemo } from 'react';
import { type SyncIssue, syncIssues$ } from '../../../../../shared/sync';
import { useDatabase } from '../../database/hooks/useDatabase';
import { type ObservableState, useObservable } from '../../database/hooks/useObservable';

export function useSyncIssues(): ObservableState<SyncIssue[]> {
  const db = useDatabase();
  const issues$ = useMemo(() => syncIssues$(db), [db]);
  return useObservable(issues$, [] as SyncIssue[]);
}
