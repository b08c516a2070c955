import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { useMemo, useState } from 'react';
import type { MangoQuerySelector, MangoQuerySortPart, RxCollection } from 'rxdb';
import { map } from 'rxjs';

export type RecordQuery<T> = {
  selector: MangoQuerySelector<T>;
  sort: MangoQuerySortPart<T>[];
};

export type RecordListOptions<T> = {
  pageSize?: number;
  /**
   * Selector to count the total with, or null when the query cannot be counted from an index alone
   * (RxDB refuses slow counts; a full scan of 100,000 documents per keystroke is what we avoid).
   */
  countSelector?: MangoQuerySelector<T> | null;
};

export type RecordList<T> = {
  records: T[];
  ready: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  total: number | null;
};

const DEFAULT_PAGE_SIZE = 100;

/**
 * A reactive, growing window over a collection: the first page comes from an index-ordered query with a
 * limit (fast with 100,000 documents), and `loadMore` widens the limit as the user scrolls. Changes made
 * anywhere (this window, rules, replication) re-emit through RxDB's event-reduce.
 */
export function useRecordList<T>(
  collection: RxCollection<T>,
  /** null: nothing to query (another source provides the records). */
  query: RecordQuery<T> | null,
  { pageSize = DEFAULT_PAGE_SIZE, countSelector = null }: RecordListOptions<T> = {},
): RecordList<T> {
  const queryKey = JSON.stringify(query);
  const [windowState, setWindowState] = useState({ queryKey, limit: pageSize });
  // A new query starts again with one page.
  const limit = windowState.queryKey === queryKey ? windowState.limit : pageSize;

  // Callers build `query` afresh on every render; its JSON text is the identity the queries depend on.
  const stableQuery = useMemo(() => JSON.parse(queryKey) as RecordQuery<T> | null, [queryKey]);
  const countKey = countSelector === null ? null : JSON.stringify(countSelector);
  const stableCountSelector = useMemo(
    () => (countKey === null ? null : (JSON.parse(countKey) as MangoQuerySelector<T>)),
    [countKey],
  );

  const records$ = useMemo(
    () =>
      stableQuery === null
        ? null
        : collection
            // One extra document tells whether there is more to load.
            .find({ selector: stableQuery.selector, sort: stableQuery.sort, limit: limit + 1 })
            .$.pipe(map((documents) => documents as unknown as T[])),
    [collection, stableQuery, limit],
  );
  const count$ = useMemo(
    () => (stableCountSelector === null ? null : collection.count({ selector: stableCountSelector }).$),
    [collection, stableCountSelector],
  );

  const list = useObservable(records$, [] as T[]);
  const count = useObservable(count$, 0);
  const hasMore = list.value.length > limit;

  return {
    records: hasMore ? list.value.slice(0, limit) : list.value,
    ready: list.ready,
    error: list.error ?? count.error,
    hasMore,
    loadMore: () => {
      if (hasMore) setWindowState({ queryKey, limit: limit + pageSize });
    },
    total: countSelector === null ? null : count.value,
  };
}
