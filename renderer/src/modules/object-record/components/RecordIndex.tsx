import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useUndoableDelete } from '@renderer/modules/feedback/hooks/useUndoableDelete';
import { usePendingIds } from '@renderer/modules/sync/hooks/usePendingIds';
import { EmptyState } from '@renderer/modules/ui/components/EmptyState';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { FieldCatalogue } from '@shared/schemas';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { RxCollection } from 'rxdb';
import { useBulkActions } from '../hooks/useBulkActions';
import { useRecordList } from '../hooks/useRecordList';
import { useRowSelection } from '../hooks/useRowSelection';
import { useSearchResults } from '../hooks/useSearchResults';
import type { ColumnDefinition, SortState } from '../types/ColumnDefinition';
import type { FilterDefinition } from '../types/FilterDefinition';
import { buildRecordQuery } from '../utils/buildRecordQuery';
import { displayName } from '../utils/displayName';
import { BulkActionBar } from './BulkActionBar';
import { RecordListToolbar } from './RecordListToolbar';
import { RecordTable } from './RecordTable';

/** Everything that makes a record list "the contacts list" or "the leads list". */
export type RecordIndexConfig<T extends { id: string }> = {
  collection: 'contacts' | 'leads';
  title: string;
  /** Singular noun for texts ("contact"). */
  noun: string;
  /** The entity's field catalogue (bulk actions take their fields and choices from it). */
  catalogue: FieldCatalogue<Record<string, unknown>>;
  newLabel: string;
  newPath: string;
  detailPath: (record: T) => string;
  columns: ColumnDefinition<T>[];
  searchFields: readonly string[];
  sortFields: Record<string, readonly string[]>;
  defaultSort: SortState;
  countableFilters: readonly string[];
  filterDefinitions: FilterDefinition[];
};

const MAX_SEARCH_RESULTS_BY_ID = 2000;

export function RecordIndex<T extends { id: string }>({ config }: { config: RecordIndexConfig<T> }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [listSort, setListSort] = useState<SortState>(config.defaultSort);
  /** A sort chosen while searching; null = by relevance. Cleared with the search. */
  const [searchSort, setSearchSort] = useState<SortState | null>(null);
  // The box shows each key at once; the list follows in a render React may interrupt for the next key.
  // No pause after the last key: a search answers from a few index ranges, and 100 ms from last key to
  // result (issue 10) leaves no room for one.
  const deferredSearch = useDeferredValue(search);
  const pendingIds = usePendingIds(config.collection);
  const searching = deferredSearch.trim() !== '';
  const sort = searching ? searchSort : listSort;

  const collection = db[config.collection] as unknown as RxCollection<T>;
  // Search answers from the search index (ranked ids); a search too broad for it (a letter or two) pages
  // through the database query instead, which stops after one page because matches are plentiful.
  const found = useSearchResults(
    collection,
    config.collection,
    deferredSearch,
    MAX_SEARCH_RESULTS_BY_ID,
    filters,
    sort === null ? [] : (config.sortFields[sort.key] ?? []),
    sort?.direction ?? 'asc',
  );
  const searchByIds = searching && (found.pending || found.records !== null);
  const { query, countSelector } = buildRecordQuery<T>({
    search: deferredSearch,
    searchFields: config.searchFields,
    filters,
    sort: sort ?? config.defaultSort,
    sortFields: config.sortFields,
    countableFilters: config.countableFilters,
  });
  const queried = useRecordList(collection, searchByIds ? null : query, { countSelector });
  const listed = searchByIds
    ? {
        records: found.records ?? [],
        ready: !found.pending,
        error: found.error,
        hasMore: false,
        loadMore: queried.loadMore,
        total: null,
      }
    : queried;
  // Records deleted moments ago stay hidden while their deletion can still be undone.
  const { hidden } = useUndoableDelete();
  const records = useMemo(
    () => (hidden.size === 0 ? listed.records : listed.records.filter((record) => !hidden.has(record.id))),
    [listed.records, hidden],
  );
  const list = { ...listed, records };
  const selectionKey = JSON.stringify([deferredSearch, filters]);
  const selection = useRowSelection(records, selectionKey);
  const bulk = useBulkActions(config.collection, config.noun);
  const resolveSelectedIds = useCallback(async (): Promise<string[]> => {
    if (!selection.allMatching) return [...selection.selectedIds];
    if (searchByIds) return records.map((record) => record.id);
    // Every record the list's query matches, not only the loaded pages.
    const docs = await collection.find({ selector: query.selector }).exec();
    return docs.map((doc) => doc.primary);
  }, [selection, searchByIds, records, collection, query.selector]);
  const onOpen = useCallback((record: T) => navigate(config.detailPath(record)), [navigate, config]);
  const filtering = searching || Object.values(filters).some((value) => value !== '');

  const newButton = (
    <Button variant="contained" onClick={() => navigate(config.newPath)}>
      {config.newLabel}
    </Button>
  );

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        {config.title}
      </Typography>
      <RecordListToolbar
        searchLabel={`Search ${config.title.toLowerCase()}`}
        search={search}
        onSearchChange={(next) => {
          setSearch(next);
          if (next.trim() === '') setSearchSort(null);
        }}
        filterDefinitions={config.filterDefinitions}
        filters={filters}
        onFilterChange={(field, value) => setFilters((previous) => ({ ...previous, [field]: value }))}
        actions={newButton}
      />
      {(selection.count > 0 || bulk.running !== null || bulk.failures.length > 0) && (
        <BulkActionBar
          catalogue={config.catalogue}
          count={selection.allMatching && list.total !== null ? list.total : selection.count}
          allMatching={selection.allMatching}
          matchingTotal={
            selection.loadedState === 'all' && (list.hasMore || (list.total ?? 0) > records.length)
              ? list.total
              : null
          }
          onSelectAllMatching={selection.selectAllMatching}
          onClear={selection.clear}
          resolveIds={resolveSelectedIds}
          actions={bulk}
        />
      )}
      {list.error !== null ? (
        <Typography role="alert" color="error">
          {`Could not load ${config.title.toLowerCase()}: ${errorMessage(list.error)}`}
        </Typography>
      ) : (
        <RecordTable
          label={config.title}
          columns={config.columns}
          records={list.records}
          total={list.total}
          loading={!list.ready}
          hasMore={list.hasMore}
          onLoadMore={list.loadMore}
          onOpen={onOpen}
          sort={sort}
          onSortChange={searching ? setSearchSort : setListSort}
          pendingIds={pendingIds}
          selection={{
            isSelected: selection.isSelected,
            loadedState: selection.loadedState,
            onToggle: selection.toggle,
            onToggleLoaded: selection.toggleLoaded,
            // Contacts and leads both have a person's name.
            nameOf: (record) => displayName(record as unknown as Parameters<typeof displayName>[0]),
          }}
          emptyState={
            filtering ? (
              <EmptyState
                title={`No ${config.title.toLowerCase()} match`}
                hint="Try other search words or clear the filters."
                action={
                  <Button
                    onClick={() => {
                      setSearch('');
                      setFilters({});
                    }}
                  >
                    Clear search and filters
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title={`No ${config.title.toLowerCase()} yet`}
                hint={`Use “${config.newLabel}” to create your first ${config.noun}, or connect to your team's sync server in Settings to receive theirs.`}
              />
            )
          }
        />
      )}
    </Box>
  );
}
