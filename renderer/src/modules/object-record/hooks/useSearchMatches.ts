import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { useMemo } from 'react';
import type { RxCollection } from 'rxdb';
import { auditTime, combineLatest, map, of, startWith } from 'rxjs';
import { searchIndexOf } from '../utils/searchIndex';

/** Re-run open searches at most this often while many changes arrive (an import, a first sync). */
const RESEARCH_INTERVAL_MS = 250;

/**
 * Ids matching `search` from the in-memory index, or null when there is no search or the index is still
 * loading (callers then fall back to a database query). The index starts loading on first use.
 */
export function useSearchMatches(
  collection: RxCollection,
  searchFields: readonly string[],
  search: string,
): string[] | null {
  const index = useMemo(() => searchIndexOf(collection, searchFields), [collection, searchFields]);
  const trimmed = search.trim();
  const matches$ = useMemo(
    () =>
      trimmed === ''
        ? of(null)
        : combineLatest([
            index.ready$,
            index.version$.pipe(auditTime(RESEARCH_INTERVAL_MS), startWith(index.version$.value)),
          ]).pipe(map(([ready]) => (ready ? index.match(trimmed) : null))),
    [index, trimmed],
  );
  return useObservable<string[] | null>(matches$, null).value;
}
