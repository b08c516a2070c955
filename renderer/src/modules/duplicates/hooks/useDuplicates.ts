import { afterFirstContent } from '@renderer/modules/app/hooks/useFirstContent';
import { fetchedAhead } from '@renderer/modules/app/utils/chunksAhead';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { type ObservableState, useObservable } from '@renderer/modules/database/hooks/useObservable';
import { duplicatePairs$, type ListedDuplicatePair } from '@shared/sync/duplicates/pair-list';
import { useEffect, useMemo } from 'react';
import { debounceTime, filter } from 'rxjs';

/** Detection is a chunk of its own: the first screen does not wait for its code. */
const loadDetection = fetchedAhead(() => import('@shared/sync/duplicates/detect'));

const watched = new Set(['contacts', 'leads', 'activities']);
/** Writes come in bursts (a save writes the record, its lead and timeline entries): one pass after them. */
const SETTLE_MS = 300;

/**
 * Keeps this device's list of possible duplicates current (docs/duplicates.md): a pass once the first
 * screen has its data, and one after each burst of writes, local or synced. Each pass reads only what
 * changed. Mounted once, by the app shell.
 */
export function useDuplicateDetection(): void {
  const db = useDatabase();
  useEffect(() => {
    const run = () => {
      loadDetection()
        .then(({ detectDuplicates }) => detectDuplicates(db))
        .catch((error: unknown) => console.error('Duplicate detection failed', error));
    };
    // The first pass after the first screen has its data (a pass can read whole key indexes).
    let active = true;
    afterFirstContent().then(() => active && run());
    const subscription = db.eventBulks$
      .pipe(
        filter((bulk) => !bulk.isLocal && watched.has(bulk.collectionName ?? '')),
        debounceTime(SETTLE_MS),
      )
      .subscribe(run);
    return () => {
      active = false;
      subscription.unsubscribe();
    };
  }, [db]);
}

/** The possible duplicates this device knows. */
export function useDuplicatePairs(): ObservableState<ListedDuplicatePair[]> {
  const db = useDatabase();
  const pairs$ = useMemo(() => duplicatePairs$(db), [db]);
  return useObservable(pairs$, [] as ListedDuplicatePair[]);
}
