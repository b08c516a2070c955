import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import type { SearchableCollection } from '@shared/sync';
import { useMemo } from 'react';
import type { RxCollection } from 'rxdb';
import { map, of, switchMap } from 'rxjs';
import { searchMatches$ } from './useSearchMatches';

export type SearchResults<T> = {
  /**
   * The live records matching the search, narrowed by the filters and sorted; null when there is no
   * search or it is too broad for the search index (see `SearchMatches.ids`): callers then page a
   * database query instead.
   */
  records: T[] | null;
  /** True while a new search (or filter, or sort) is answered; `records` still holds the previous answer. */
  pending: boolean;
  error: unknown;
};

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A search of a record list: the ids from the search index, then the live records with those ids (read
 * by primary key, so a few hundred cost little), narrowed by equality filters and sorted like the
 * database query would (sort fields, then id), or in the index's order (relevance) without sort fields.
 * One observable from the search text to the records: a key press costs one render when its rows arrive.
 */
export function useSearchResults<T extends { id: string }>(
  collection: RxCollection<T>,
  name: SearchableCollection,
  search: string,
  limit: number,
  filters: Record<string, string>,
  sortFields: readonly string[],
  direction: 'asc' | 'desc',
): SearchResults<T> {
  const db = useDatabase();
  const trimmed = search.trim();
  const filterKey = JSON.stringify(filters);
  const sortKey = sortFields.join(',');
  const records$ = useMemo(() => {
    const activeFilters = Object.entries(JSON.parse(filterKey) as Record<string, string>).filter(
      ([, value]) => value !== '',
    );
    const fields = sortKey === '' ? [] : sortKey.split(',');
    const sign = direction === 'asc' ? 1 : -1;
    return searchMatches$(db, name, trimmed, limit).pipe(
      switchMap((ids) =>
        ids === null
          ? of(null)
          : collection.findByIds(ids).$.pipe(
              map((found) =>
                ids
                  .map((id) => found.get(id))
                  .filter((document) => document !== undefined)
                  .map((document) => document as unknown as T)
                  .filter((record) =>
                    activeFilters.every(
                      ([field, value]) => (record as Record<string, unknown>)[field] === value,
                    ),
                  )
                  .sort((a, b) => {
                    if (fields.length === 0) return 0;
                    for (const field of fields) {
                      const order = compareValues(
                        (a as Record<string, unknown>)[field],
                        (b as Record<string, unknown>)[field],
                      );
                      if (order !== 0) return sign * order;
                    }
                    return sign * compareValues(a.id, b.id);
                  }),
              ),
            ),
      ),
    );
  }, [db, collection, name, trimmed, limit, filterKey, sortKey, direction]);
  const state = useObservable<T[] | null>(records$, null);
  return { records: state.value, pending: trimmed !== '' && !state.ready, error: state.error };
}
