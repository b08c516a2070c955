import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import type { CrmDatabase } from '@shared/sync/database';
import { searchIndexOf } from '@shared/sync/search/search-index';
import type { SearchableCollection } from '@shared/sync/search/search-tokens';
import { useMemo } from 'react';
import { from, map, type Observable, of, switchMap } from 'rxjs';

/** Re-run an open search at most this often while many changes arrive (an import, a first sync). */
const RESEARCH_INTERVAL_MS = 250;

export type SearchMatches = {
  /**
   * Ids matching the search from the database's search index, best first; null when there is no search,
   * the index is still being built (only after its format changed) or the search matches more than `limit`
   * records: callers then page a database query instead.
   */
  ids: string[] | null;
  /** True while the search index answers a new search (`ids` still holds the previous answer). */
  pending: boolean;
};

/** The ids `search` matches (see `SearchMatches.ids`), again after the collection's writes. */
export function searchMatches$(
  db: CrmDatabase,
  collection: SearchableCollection,
  search: string,
  limit: number,
): Observable<string[] | null> {
  const trimmed = search.trim();
  if (trimmed === '') return of(null);
  const index = searchIndexOf(db);
  return index
    .refreshes$(collection, RESEARCH_INTERVAL_MS)
    .pipe(
      switchMap((ready) =>
        ready
          ? from(index.search(collection, trimmed, limit)).pipe(map((r) => (r.complete ? r.ids : null)))
          : of(null),
      ),
    );
}

export function useSearchMatches(
  collection: SearchableCollection,
  search: string,
  limit: number,
): SearchMatches {
  const db = useDatabase();
  const trimmed = search.trim();
  const matches$ = useMemo(
    () => searchMatches$(db, collection, trimmed, limit),
    [db, collection, trimmed, limit],
  );
  const state = useObservable<string[] | null>(matches$, null);
  return { ids: state.value, pending: trimmed !== '' && !state.ready };
}
