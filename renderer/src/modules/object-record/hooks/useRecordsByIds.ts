import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { useMemo } from 'react';
import type { RxCollection } from 'rxdb';
import { map } from 'rxjs';

export type RecordsByIds<T> = { records: T[]; ready: boolean; error: unknown };

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The live records with the given ids (a search result), narrowed by equality filters and sorted like the
 * database query would (sort fields, then id), or in the order of `ids` (relevance) without sort fields.
 * Reads by primary key, so a few hundred ids cost little.
 */
export function useRecordsByIds<T extends { id: string }>(
  collection: RxCollection<T>,
  ids: string[] | null,
  filters: Record<string, string>,
  sortFields: readonly string[],
  direction: 'asc' | 'desc',
): RecordsByIds<T> {
  const filterKey = JSON.stringify(filters);
  const sortKey = sortFields.join(',');
  const records$ = useMemo(() => {
    if (ids === null) return null;
    const activeFilters = Object.entries(JSON.parse(filterKey) as Record<string, string>).filter(
      ([, value]) => value !== '',
    );
    const fields = sortKey === '' ? [] : sortKey.split(',');
    const sign = direction === 'asc' ? 1 : -1;
    return collection.findByIds(ids).$.pipe(
      map((found) =>
        ids
          .map((id) => found.get(id))
          .filter((document) => document !== undefined)
          .map((document) => document as unknown as T)
          .filter((record) =>
            activeFilters.every(([field, value]) => (record as Record<string, unknown>)[field] === value),
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
    );
  }, [collection, ids, filterKey, sortKey, direction]);
  const state = useObservable<T[]>(records$, []);
  return { records: state.value, ready: ids === null || state.ready, error: state.error };
}
