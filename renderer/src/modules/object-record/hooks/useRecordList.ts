import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { searchIndexOf } from '@shared/sync/search/search-index';
import type { SearchableCollection } from '@shared/sync/search/search-tokens';
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
   * What to count: every record (`{}`) or one status (`{ status: { $eq } }`), answered from the totals
   * the search index keeps per write; null when the list cannot be counted that way (no total shown).
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
 * limit (fast with 100,000 documents), and `loadMore` doubles the limit as the user scrolls. Changes made
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

  const records$ = useMemo(() => {
    if (stableQuery === null) return null;
    // One extra document tells whether there is more to load.
    const query = collection.find({
      selector: stableQuery.selector,
      sort: stableQuery.sort,
      limit: limit + 1,
    });
    // The query runs from this render on, not from the effect that subscribes once the whole screen has been
    // committed (at start-up the app's first render): RxDB's query cache gives the subscription this query
    // and its result. A failure reaches the subscription too.
    query.exec().catch(() => undefined);
    return query.$.pipe(map((documents) => documents as unknown as T[]));
  }, [collection, stableQuery, limit]);
  // Not an index count: counting 100,000 index entries held IndexedDB (and the first page) for 0.7 s.
  const db = useDatabase();
  const count$ = useMemo(() => {
    if (stableCountSelector === null) return null;
    const status = (stableCountSelector as { status?: { $eq?: string } }).status?.$eq;
    return searchIndexOf(db)
      .totals$(collection.name as SearchableCollection)
      .pipe(
        map((totals) => {
          if (totals === null) return null;
          if (status !== undefined) return totals.byStatus.get(status)?.count ?? 0;
          return [...totals.byStatus.values()].reduce((sum, total) => sum + total.count, 0);
        }),
      );
  }, [db, collection, stableCountSelector]);

  const list = useObservable(records$, [] as T[]);
  const count = useObservable<number | null>(count$, null);
  const hasMore = list.value.length > limit;

  return {
    records: hasMore ? list.value.slice(0, limit) : list.value,
    ready: list.ready,
    error: list.error ?? count.error,
    hasMore,
    // The window doubles: each widening re-reads it from its first record, so growing by one page read
    // page k's k pages again (scrolling to row 10,000 of 100,000 contacts read 500,000 documents, and each
    // page near there cost ~225 ms of main thread at load 10); doubling reads twice what is shown, overall.
    loadMore: () => {
      if (hasMore) setWindowState({ queryKey, limit: limit + Math.max(pageSize, limit) });
    },
    total: countSelector === null ? null : count.value,
  };
}
