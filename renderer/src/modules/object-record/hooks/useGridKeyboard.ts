import { type KeyboardEvent, type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';

/** Row 0 is the header row; rows 1… are the records. */
export type GridCell = { row: number; column: number };

export type GridKeyboardOptions = {
  gridRef: RefObject<HTMLElement | null>;
  /** Rows including the header row. */
  rowCount: number;
  columnCount: number;
  /** Rows one Page Up / Page Down moves. */
  pageRows: number;
  /** Brings a row into view (virtualized rows exist only near the viewport). */
  scrollToRow: (row: number) => void;
  /** Enter (or Space on a header) on a cell. */
  onActivate: (cell: GridCell) => void;
  /** Space on a record row (selects it, when the grid has selection; Shift extends the range). */
  onSelect?: (row: number, extend: boolean) => void;
  /** Whether a row is in the DOM; when the active row is not, the header keeps the grid in the tab order. */
  isRendered: (row: number) => boolean;
};

export type GridCellProps = { tabIndex: number; 'data-grid-cell': string; onFocus: () => void };

export type GridKeyboard = {
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  /** The one cell in the tab sequence (roving tabindex); cells take their props from `gridCellProps`. */
  tabCell: GridCell;
  /** Makes a focused cell the active one; stable, so memoized rows need not re-render for it. */
  focusCell: (row: number, column: number) => void;
};

/** A cell's roving-tabindex props from the grid's tab cell and `focusCell`. */
export function gridCellProps(
  row: number,
  column: number,
  tabCell: GridCell,
  focusCell: GridKeyboard['focusCell'],
): GridCellProps {
  return {
    tabIndex: row === tabCell.row && column === tabCell.column ? 0 : -1,
    'data-grid-cell': cellKey({ row, column }),
    onFocus: () => focusCell(row, column),
  };
}

const cellKey = ({ row, column }: GridCell) => `${row}:${column}`;

/**
 * The WAI-ARIA grid pattern's keyboard model (https://www.w3.org/WAI/ARIA/apg/patterns/grid/): the grid is
 * one tab stop; arrows move between cells, Home/End to the ends of a row, Ctrl+Home/End to the first and
 * last cell, Page Up/Down by a screenful; Enter activates. Hand-written: MUI's free Table has no keyboard
 * model and the DataGrid does not virtualize our own row model.
 */
export function useGridKeyboard(options: GridKeyboardOptions): GridKeyboard {
  const { gridRef, rowCount, columnCount, pageRows, scrollToRow, onActivate, onSelect, isRendered } = options;
  const [active, setActive] = useState<GridCell>({ row: 1, column: 0 });
  /**
   * Set by a key press, so focus follows the active cell only when the user moved it from the keyboard;
   * kept until the cell is rendered (a virtualized row far away renders after the scroll that brings it).
   */
  const moveFocus = useRef(false);

  // The rows may shrink (a search); the active cell stays inside the grid.
  const lastRow = Math.max(0, rowCount - 1);
  const current: GridCell = {
    row: Math.min(active.row, rowCount > 1 ? lastRow : 0),
    column: Math.min(active.column, Math.max(0, columnCount - 1)),
  };

  // After every render of the grid: the one that rendered the scrolled-to row focuses its cell.
  useEffect(() => {
    if (!moveFocus.current) return;
    const cell = gridRef.current?.querySelector<HTMLElement>(`[data-grid-cell="${cellKey(current)}"]`);
    if (!cell) return;
    moveFocus.current = false;
    cell.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const { row, column } = current;
    let next: GridCell | null = null;
    switch (event.key) {
      case 'ArrowDown':
        next = { row: Math.min(lastRow, row + 1), column };
        break;
      case 'ArrowUp':
        next = { row: Math.max(0, row - 1), column };
        break;
      case 'ArrowRight':
        next = { row, column: Math.min(columnCount - 1, column + 1) };
        break;
      case 'ArrowLeft':
        next = { row, column: Math.max(0, column - 1) };
        break;
      case 'PageDown':
        next = { row: Math.min(lastRow, row + pageRows), column };
        break;
      case 'PageUp':
        next = { row: Math.max(row === 0 ? 0 : 1, row - pageRows), column };
        break;
      case 'Home':
        next = event.ctrlKey || event.metaKey ? { row: Math.min(1, lastRow), column: 0 } : { row, column: 0 };
        break;
      case 'End':
        next =
          event.ctrlKey || event.metaKey
            ? { row: lastRow, column: columnCount - 1 }
            : { row, column: columnCount - 1 };
        break;
      case 'Enter':
        event.preventDefault();
        onActivate(current);
        return;
      case ' ':
        if (row === 0) {
          event.preventDefault();
          onActivate(current);
        } else if (onSelect) {
          event.preventDefault();
          onSelect(row, event.shiftKey);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    moveFocus.current = true;
    if (next.row > 0) scrollToRow(next.row);
    setActive(next);
  };

  const focusCell = useCallback(
    (row: number, column: number) =>
      setActive((previous) =>
        previous.row === row && previous.column === column ? previous : { row, column },
      ),
    [],
  );
  const tabRow = isRendered(current.row) ? current.row : 0;
  // The same object while the tab cell stays: the memoized row (or header) holding it need not re-render.
  const tabCell = useMemo(() => ({ row: tabRow, column: current.column }), [tabRow, current.column]);

  return { onKeyDown, tabCell, focusCell };
}
