import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import { styled, useTheme } from '@mui/material/styles';
import TableSortLabel from '@mui/material/TableSortLabel';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useFirstContent } from '@renderer/modules/app/hooks/useFirstContent';
import { PendingMark } from '@renderer/modules/sync/components/PendingMark';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type MouseEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
} from 'react';
import { type GridCell, type GridKeyboard, gridCellProps, useGridKeyboard } from '../hooks/useGridKeyboard';
import type { ColumnDefinition, SortState } from '../types/ColumnDefinition';
import { SelectBox } from './SelectBox';

export type RecordTableProps<T extends { id: string }> = {
  /** Accessible name of the table, e.g. "Contacts". */
  label: string;
  columns: ColumnDefinition<T>[];
  records: T[];
  total: number | null;
  loading: boolean;
  hasMore: boolean;
  onLoadMore: () => void;
  onOpen: (record: T) => void;
  /** null: the records come in relevance order (a search) and no column is sorted. */
  sort: SortState | null;
  onSortChange: (sort: SortState) => void;
  pendingIds: ReadonlySet<string>;
  emptyState: ReactNode;
  /** Row selection for bulk actions; absent: the table has no checkboxes. */
  selection?: RowSelection<T>;
};

export type RowSelection<T> = {
  isSelected: (record: T) => boolean;
  /** The header checkbox: every loaded row selected, some, or none. */
  loadedState: 'none' | 'some' | 'all';
  /** A row's checkbox (Shift: the range from the last toggled row). */
  onToggle: (index: number, extend: boolean) => void;
  onToggleLoaded: () => void;
  /** The row's name for its checkbox ("Select Ada Lovelace"). */
  nameOf: (record: T) => string;
};

/** The checkbox column's track. */
const SELECT_COLUMN_WIDTH = '44px';

const ROW_HEIGHT = 52;
const HEADER_HEIGHT = 44;
/** Start loading the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 30;
const OVERSCAN = 12;
/** The keyboard's place in the grid; the cell itself holds focus, so it draws the ring. */
const focusRing = {
  '&:focus-visible': {
    outline: '2px solid',
    outlineColor: 'primary.main',
    outlineOffset: '-2px',
    borderRadius: 0.5,
  },
} as const;

/**
 * The one record list of the app (contacts, leads): an ARIA table whose rows are virtualized, so only
 * the visible rows exist in the DOM however many records are loaded.
 */
export function RecordTable<T extends { id: string }>(props: RecordTableProps<T>) {
  const { columns, records, hasMore, onLoadMore, sort, onSortChange, pendingIds } = props;
  const theme = useTheme();
  const isSm = useMediaQuery(theme.breakpoints.down('sm'));
  const isMd = useMediaQuery(theme.breakpoints.down('md'));
  const isLg = useMediaQuery(theme.breakpoints.down('lg'));
  const isXl = useMediaQuery(theme.breakpoints.down('xl'));
  // One array per breakpoint: the memoized rows compare it by identity.
  const visibleColumns = useMemo(
    () =>
      columns.filter(
        (column) =>
          !(column.hideBelow === 'sm' && isSm) &&
          !(column.hideBelow === 'md' && isMd) &&
          !(column.hideBelow === 'lg' && isLg) &&
          !(column.hideBelow === 'xl' && isXl),
      ),
    [columns, isSm, isMd, isLg, isXl],
  );
  const { selection } = props;
  const gridTemplateColumns = [
    ...(selection ? [SELECT_COLUMN_WIDTH] : []),
    ...visibleColumns.map((column) => column.width),
  ].join(' ');
  /** Grid column of the first data column (the checkbox column comes first). */
  const firstDataColumn = selection ? 1 : 0;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // The sticky header row sits above the first record inside the same scroll container.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (index) => records[index]?.id ?? index,
    // Rows coming into view render in React's normal batch, not synchronously inside each wheel event:
    // several scroll events of one frame then cost one render (the grid keyboard waits for them).
    useFlushSync: false,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisibleIndex = virtualRows.at(-1)?.index ?? 0;

  // The list's own rows (or its empty state) replace the start-up picture.
  useFirstContent(!props.loading);

  useEffect(() => {
    if (hasMore && lastVisibleIndex >= records.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, lastVisibleIndex, records.length, onLoadMore]);

  // Header row included; -1 tells assistive technology the total is unknown while more can load.
  const rowCount = props.total !== null ? props.total + 1 : hasMore ? -1 : records.length + 1;

  const gridRef = useRef<HTMLDivElement>(null);
  const { onOpen } = props;
  const activate = useCallback(
    ({ row, column }: GridCell) => {
      if (row === 0) {
        // A header: the same as clicking its sort label (or the select-all checkbox).
        gridRef.current
          ?.querySelector<HTMLElement>(
            `[data-grid-cell="0:${column}"] :is(.MuiTableSortLabel-root, input[type=checkbox])`,
          )
          ?.click();
        return;
      }
      const record = records[row - 1];
      if (record) onOpen(record);
    },
    [records, onOpen],
  );
  const select = useCallback(
    (row: number, extend: boolean) => selection?.onToggle(row - 1, extend),
    [selection],
  );
  const scrollToRow = useCallback((row: number) => virtualizer.scrollToIndex(row - 1), [virtualizer]);
  // The rows' handlers stay the same functions while the list grows page by page (the callers' change
  // with every page), so a memoized row re-renders only when its own record or state changes.
  const handlers = useRef({
    onOpen,
    onToggle: selection?.onToggle,
    onToggleLoaded: selection?.onToggleLoaded,
  });
  useLayoutEffect(() => {
    handlers.current = { onOpen, onToggle: selection?.onToggle, onToggleLoaded: selection?.onToggleLoaded };
  });
  const openRecord = useCallback((record: T) => handlers.current.onOpen(record), []);
  const toggleRecord = useCallback(
    (index: number, extend: boolean) => handlers.current.onToggle?.(index, extend),
    [],
  );
  const toggleLoaded = useCallback(() => handlers.current.onToggleLoaded?.(), []);
  const renderedFrom = virtualRows[0]?.index ?? 0;
  const grid = useGridKeyboard({
    gridRef,
    rowCount: records.length + 1,
    columnCount: visibleColumns.length + firstDataColumn,
    pageRows: Math.max(1, virtualRows.length - 2 * OVERSCAN),
    scrollToRow,
    onActivate: activate,
    onSelect: selection ? select : undefined,
    isRendered: (row) => row === 0 || (row - 1 >= renderedFrom && row - 1 <= lastVisibleIndex),
  });

  return (
    <Box
      ref={gridRef}
      role="grid"
      aria-label={props.label}
      aria-rowcount={rowCount}
      aria-colcount={visibleColumns.length + firstDataColumn}
      aria-multiselectable={selection ? true : undefined}
      aria-busy={props.loading}
      onKeyDown={grid.onKeyDown}
      sx={{
        display: 'flex',
        flexDirection: 'column',
        flex: 1,
        minHeight: 0,
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        bgcolor: 'background.paper',
        overflow: 'hidden',
      }}
    >
      {props.loading && <LinearProgress aria-label="Loading records" />}
      {/* One scroll container for the header and the rows: the header stays in view (sticky), and the
          scrolled region always holds the grid's tab stop, so keyboard users can reach it. */}
      <Box ref={scrollRef} sx={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
        <HeaderRow
          columns={visibleColumns}
          gridTemplateColumns={gridTemplateColumns}
          sort={sort}
          onSortChange={onSortChange}
          selectAll={selection ? selection.loadedState : null}
          onToggleAll={toggleLoaded}
          tabCell={grid.tabCell.row === 0 ? grid.tabCell : null}
          focusCell={grid.focusCell}
        />
        {records.length === 0 && !props.loading ? (
          <Box role="rowgroup">
            <Box role="row">
              <Box role="gridcell" sx={{ p: 4 }}>
                {props.emptyState}
              </Box>
            </Box>
          </Box>
        ) : (
          <Box role="rowgroup">
            <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualRows.map((virtualRow) => {
                const record = records[virtualRow.index];
                if (record === undefined) return null;
                const row = virtualRow.index + 1;
                return (
                  <RecordRow<T>
                    key={virtualRow.key}
                    record={record}
                    index={virtualRow.index}
                    top={virtualRow.start - HEADER_HEIGHT}
                    columns={visibleColumns}
                    gridTemplateColumns={gridTemplateColumns}
                    selectLabel={selection ? `Select ${selection.nameOf(record)}` : null}
                    selected={selection?.isSelected(record) ?? false}
                    pending={pendingIds.has(record.id)}
                    // Only the tab row's cells depend on the active cell; other rows keep their props.
                    tabCell={row === grid.tabCell.row ? grid.tabCell : null}
                    focusCell={grid.focusCell}
                    onOpen={openRecord}
                    onToggle={toggleRecord}
                  />
                );
              })}
            </Box>
          </Box>
        )}
      </Box>
      <Box sx={{ px: 2, py: 1, borderTop: 1, borderColor: 'divider' }}>
        <Typography variant="body2" color="text.secondary">
          {describeCount(records.length, props.total, hasMore)}
        </Typography>
      </Box>
    </Box>
  );
}

type HeaderRowProps<T> = {
  columns: readonly ColumnDefinition<T>[];
  gridTemplateColumns: string;
  sort: SortState | null;
  onSortChange: (sort: SortState) => void;
  /** The select-all checkbox's state; null: the table has no selection. */
  selectAll: RowSelection<T>['loadedState'] | null;
  onToggleAll: () => void;
  /** The grid's tab cell when it is in the header row, else null. */
  tabCell: GridCell | null;
  focusCell: GridKeyboard['focusCell'];
};

/** The sticky header row; memoized, so scrolling (which renders the table) does not render it. */
const HeaderRow = memo(function HeaderRow<T>(props: HeaderRowProps<T>) {
  const { columns, sort, onSortChange, selectAll, tabCell, focusCell } = props;
  const firstDataColumn = selectAll === null ? 0 : 1;
  const cellProps = (column: number) => gridCellProps(0, column, tabCell ?? NO_TAB_CELL, focusCell);
  return (
    <Box
      role="rowgroup"
      sx={{
        position: 'sticky',
        top: 0,
        zIndex: 1,
        bgcolor: 'background.paper',
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Box
        role="row"
        aria-rowindex={1}
        sx={{
          display: 'grid',
          gridTemplateColumns: props.gridTemplateColumns,
          alignItems: 'center',
          px: 2,
          height: HEADER_HEIGHT,
        }}
      >
        {selectAll !== null && (
          <Cell role="columnheader" aria-colindex={1} {...cellProps(0)}>
            <SelectBox
              checked={selectAll === 'all'}
              indeterminate={selectAll === 'some'}
              onChange={props.onToggleAll}
              label="Select all loaded rows"
            />
          </Cell>
        )}
        {columns.map((column, index) => {
          const columnIndex = index + firstDataColumn;
          const sortKey = column.sortKey;
          const active = sortKey !== undefined && sort?.key === sortKey;
          return (
            <Box
              key={column.id}
              role="columnheader"
              aria-colindex={columnIndex + 1}
              {...cellProps(columnIndex)}
              aria-sort={active ? (sort?.direction === 'asc' ? 'ascending' : 'descending') : undefined}
              sx={{ fontWeight: 600, fontSize: 14, pr: 1, ...focusRing }}
            >
              {sortKey === undefined ? (
                column.label
              ) : (
                <TableSortLabel
                  tabIndex={-1}
                  active={active}
                  direction={active ? sort?.direction : 'asc'}
                  onClick={() =>
                    onSortChange({
                      key: sortKey,
                      direction: active && sort?.direction === 'asc' ? 'desc' : 'asc',
                    })
                  }
                >
                  {column.label}
                </TableSortLabel>
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}) as <T>(props: HeaderRowProps<T>) => ReactNode;

/**
 * A cell too narrow for its text shows the whole text on hover (the browser's tooltip); assistive
 * technology reads the whole text anyway. Measured on hover, so scrolling 100,000 rows measures nothing.
 */
function titleIfClipped(event: MouseEvent<HTMLElement>) {
  const cell = event.currentTarget;
  const content = cell.firstElementChild as HTMLElement | null;
  if (content && content.scrollWidth > content.clientWidth + 1) cell.title = cell.textContent ?? '';
  else cell.removeAttribute('title');
}

type RecordRowProps<T> = {
  record: T;
  /** The record's place in the list (0 = first record; its grid row is index + 1). */
  index: number;
  /** Offset from the first record's top, in pixels. */
  top: number;
  columns: readonly ColumnDefinition<T>[];
  gridTemplateColumns: string;
  /** The checkbox's accessible name; null: the table has no selection. */
  selectLabel: string | null;
  selected: boolean;
  pending: boolean;
  /** The grid's tab cell when it is in this row, else null. */
  tabCell: GridCell | null;
  focusCell: GridKeyboard['focusCell'];
  onOpen: (record: T) => void;
  onToggle: (index: number, extend: boolean) => void;
};

/**
 * One record row. Memoized with plain-valued props and styled once (not per render through `sx`): while
 * the list scrolls, the rows already shown keep their DOM and only rows coming into view render.
 */
const RecordRow = memo(function RecordRow<T extends { id: string }>(props: RecordRowProps<T>) {
  const { record, index, columns, selectLabel, tabCell, focusCell } = props;
  const row = index + 1;
  const firstDataColumn = selectLabel === null ? 0 : 1;
  const cellProps = (column: number) => gridCellProps(row, column, tabCell ?? NO_TAB_CELL, focusCell);
  return (
    <Row
      role="row"
      aria-rowindex={row + 1}
      aria-selected={selectLabel === null ? undefined : props.selected}
      onClick={() => props.onOpen(record)}
      // The row's place goes in `style`: as a style rule every scroll position would become a new CSS rule.
      style={{ transform: `translateY(${props.top}px)`, gridTemplateColumns: props.gridTemplateColumns }}
    >
      {selectLabel !== null && (
        <Cell
          role="gridcell"
          aria-colindex={1}
          {...cellProps(0)}
          // The checkbox selects; the rest of the row opens the record.
          onClick={(event) => event.stopPropagation()}
        >
          <SelectBox
            checked={props.selected}
            // Toggled on click, where Shift is known (a change event does not carry it).
            onClick={(event) => props.onToggle(index, event.shiftKey)}
            label={selectLabel}
          />
        </Cell>
      )}
      {columns.map((column, columnIndex) => (
        <DataCell
          key={column.id}
          role="gridcell"
          aria-colindex={columnIndex + firstDataColumn + 1}
          {...cellProps(columnIndex + firstDataColumn)}
          onMouseEnter={titleIfClipped}
        >
          <ClippedText>{column.render(record)}</ClippedText>
          {columnIndex === 0 && props.pending && <PendingMark />}
        </DataCell>
      ))}
    </Row>
  );
}) as <T extends { id: string }>(props: RecordRowProps<T>) => ReactNode;

const NO_TAB_CELL: GridCell = { row: -1, column: -1 };

const Row = styled('div')(({ theme }) => ({
  position: 'absolute',
  top: 0,
  left: 0,
  right: 0,
  height: ROW_HEIGHT,
  display: 'grid',
  alignItems: 'center',
  padding: theme.spacing(0, 2),
  borderBottom: `1px solid ${theme.palette.divider}`,
  cursor: 'pointer',
  '&:hover': { backgroundColor: theme.palette.action.hover },
  '&:focus-within': { backgroundColor: theme.palette.action.focus },
  // Selection shows as a bar on the row's edge: a tinted background would lower the contrast of the
  // status chips below WCAG AA.
  '&[aria-selected="true"]': { boxShadow: `inset 4px 0 0 ${theme.palette.primary.main}` },
}));

/** The keyboard's place in the grid; the cell itself holds focus, so it draws the ring. */
const Cell = styled('div')(({ theme }) => ({
  '&:focus-visible': {
    outline: `2px solid ${theme.palette.primary.main}`,
    outlineOffset: '-2px',
    // Half the theme's corner radius, as `borderRadius: 0.5` in `sx` (the header cells).
    borderRadius: Number(theme.shape.borderRadius) * 0.5,
  },
}));

const DataCell = styled(Cell)(({ theme }) => ({
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  paddingRight: theme.spacing(1),
  display: 'flex',
  alignItems: 'center',
  gap: theme.spacing(1),
  minWidth: 0,
}));

/** A cell's content: cut with an ellipsis inside the cell's padding, so columns never run together. */
const ClippedText = styled('span')({
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  minWidth: 0,
});

function describeCount(loaded: number, total: number | null, hasMore: boolean): string {
  if (total !== null) return `${total.toLocaleString()} ${total === 1 ? 'record' : 'records'}`;
  if (hasMore) return `${loaded.toLocaleString()}+ matching records`;
  return `${loaded.toLocaleString()} matching ${loaded === 1 ? 'record' : 'records'}`;
}
