import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { useSearchMatches } from '@renderer/modules/object-record/hooks/useSearchMatches';
import { type LeadStatus, leadStatuses } from '@shared/schemas';
import { searchIndexOf } from '@shared/sync';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { combineLatest, map, type Observable } from 'rxjs';
import { type BoardColumn, type BoardLead, type CountedStatuses, columnQuery } from '../utils/board';

/** Cards a column loads at first and per "load more" (its list is virtualized; this bounds the reads). */
const PAGE_SIZE = 60;
const MAX_SEARCH_RESULTS = 2000;

type ColumnData = { leads: BoardLead[]; hasMore: boolean };

export type PipelineColumns = {
  columns: BoardColumn[];
  /** The columns have their cards. */
  ready: boolean;
  /**
   * The columns have their cards and, unless filtered, their counts and totals (or the error that keeps
   * them away): the whole board.
   */
  complete: boolean;
  error: unknown;
  loadMore: (status: LeadStatus) => void;
  /** True when the board has no lead at all (not just none matching). */
  empty: boolean;
  /** The status the counts hold each watched lead under (see applyPendingMoves). */
  counted: CountedStatuses;
};

/**
 * The board's columns, each its own index-backed query on `[status, boardOrder]` with a growing limit,
 * its count and total value from the totals the search index keeps per write: nothing here reads or
 * counts every lead, however many there are (an index count of 25,000 leads held IndexedDB for the
 * length of several card queries).
 */
export function usePipelineColumns(
  search: string,
  filters: Record<string, string>,
  /** Leads whose counted status the board needs (its pending moves). */
  watchedIds: readonly string[],
): PipelineColumns {
  const db = useDatabase();
  const [limits, setLimits] = useState<Partial<Record<LeadStatus, number>>>({});
  const matches = useSearchMatches('leads', search, MAX_SEARCH_RESULTS);
  const searching = search.trim() !== '';
  // A search too broad for the index filters nothing: a letter or two matches most of the board anyway.
  const ids = searching ? (matches.ids ?? (matches.pending ? [] : null)) : null;
  const filterKey = JSON.stringify(filters);
  const idsKey = ids === null ? null : ids.join('\n');
  const filtered = idsKey !== null || Object.values(filters).some((value) => value !== '');

  const columns$ = useMemo((): Observable<ColumnData[]> => {
    const activeFilters = JSON.parse(filterKey) as Record<string, string>;
    const searchIds = idsKey === null ? null : idsKey === '' ? [] : idsKey.split('\n');
    return combineLatest(
      leadStatuses.map((status) => {
        const limit = limits[status] ?? PAGE_SIZE;
        return db.leads.find(columnQuery(status, activeFilters, searchIds, limit + 1)).$.pipe(
          map((documents) => ({
            leads: documents.slice(0, limit).map((document) => document._data as BoardLead),
            hasMore: documents.length > limit,
          })),
        );
      }),
    );
  }, [db, limits, filterKey, idsKey]);

  const watchedKey = watchedIds.join('\n');
  const totals$ = useMemo(
    () => searchIndexOf(db).totals$('leads', watchedKey === '' ? [] : watchedKey.split('\n')),
    [db, watchedKey],
  );

  const data = useObservable(columns$, []);
  const totals = useObservable(totals$, null);
  const loadMore = useCallback(
    (status: LeadStatus) =>
      setLimits((previous) => ({ ...previous, [status]: (previous[status] ?? PAGE_SIZE) + PAGE_SIZE })),
    [],
  );

  // A column keeps its object while its cards, count and total stay, so a move re-renders two columns.
  const previous = useRef<BoardColumn[]>([]);
  const columns = useMemo(
    () =>
      leadStatuses.map((status, position): BoardColumn => {
        const column = data.value[position] ?? { leads: [], hasMore: false };
        // Filtered, or while the index catches up: what the column shows (its count is then unknown).
        const total = filtered || totals.value === null ? null : totals.value.byStatus.get(status);
        const count = total === null ? null : (total?.count ?? 0);
        const totalValue =
          total === null
            ? column.leads.reduce((sum, lead) => sum + (lead.value ?? 0), 0)
            : (total?.value ?? 0);
        const before = previous.current[position];
        if (
          before?.leads === column.leads &&
          before.count === count &&
          before.totalValue === totalValue &&
          before.hasMore === column.hasMore
        )
          return before;
        return { status, leads: column.leads, count, totalValue, hasMore: column.hasMore };
      }),
    [data.value, totals.value, filtered],
  );
  useLayoutEffect(() => {
    previous.current = columns;
  }, [columns]);
  return {
    columns,
    ready: data.ready,
    complete: data.ready && (filtered || totals.value !== null || totals.error !== null),
    error: data.error ?? totals.error,
    loadMore,
    empty: data.ready && !filtered && columns.every((column) => column.count === 0),
    counted: filtered || totals.value === null ? null : totals.value.statusOf,
  };
}
