import { useCallback, useMemo, useState } from 'react';

export type RowSelectionState<T> = {
  selectedIds: ReadonlySet<string>;
  /** Every record matching the list's search and filters, loaded or not. */
  allMatching: boolean;
  count: number;
  loadedState: 'none' | 'some' | 'all';
  isSelected: (record: T) => boolean;
  toggle: (index: number, extend: boolean) => void;
  toggleLoaded: () => void;
  selectAllMatching: () => void;
  clear: () => void;
};

type Selection = { key: string; ids: ReadonlySet<string>; anchor: number | null; allMatching: boolean };

/**
 * Which rows of a record list are selected: by id (so a selection survives records arriving by sync and
 * pages loading), Shift extends from the last toggled row like a file manager, and "all matching" stands
 * for every record of the query. A new search or filter (`key`) starts with nothing selected.
 */
export function useRowSelection<T extends { id: string }>(
  records: readonly T[],
  key: string,
): RowSelectionState<T> {
  const empty: Selection = { key, ids: new Set(), anchor: null, allMatching: false };
  const [stored, setSelection] = useState<Selection>(empty);
  const selection = stored.key === key ? stored : empty;
  const { ids, allMatching } = selection;

  const toggle = useCallback(
    (index: number, extend: boolean) =>
      setSelection((previous) => {
        const current =
          previous.key === key ? previous : { key, ids: new Set<string>(), anchor: null, allMatching: false };
        const record = records[index];
        if (!record) return current;
        const next = new Set(current.ids);
        const select = !next.has(record.id);
        const from = extend && current.anchor !== null ? Math.min(current.anchor, index) : index;
        const to = extend && current.anchor !== null ? Math.max(current.anchor, index) : index;
        for (const row of records.slice(from, to + 1)) {
          if (select) next.add(row.id);
          else next.delete(row.id);
        }
        return { key, ids: next, anchor: index, allMatching: false };
      }),
    [records, key],
  );

  const loadedSelected = useMemo(() => records.filter((record) => ids.has(record.id)).length, [records, ids]);
  const loadedState =
    allMatching || (records.length > 0 && loadedSelected === records.length)
      ? 'all'
      : loadedSelected > 0
        ? 'some'
        : 'none';

  return {
    selectedIds: ids,
    allMatching,
    count: allMatching ? records.length : ids.size,
    loadedState,
    isSelected: useCallback((record: T) => allMatching || ids.has(record.id), [allMatching, ids]),
    toggle,
    toggleLoaded: () =>
      setSelection(
        loadedState === 'all'
          ? { key, ids: new Set(), anchor: null, allMatching: false }
          : { key, ids: new Set(records.map((record) => record.id)), anchor: null, allMatching: false },
      ),
    selectAllMatching: () =>
      setSelection({
        key,
        ids: new Set(records.map((record) => record.id)),
        anchor: null,
        allMatching: true,
      }),
    clear: () => setSelection({ key, ids: new Set(), anchor: null, allMatching: false }),
  };
}
