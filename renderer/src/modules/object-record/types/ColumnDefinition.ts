import type { ReactNode } from 'react';

/** How one column of the generic record table shows a record; contacts and leads are both described this way. */
export type ColumnDefinition<T> = {
  id: string;
  label: string;
  /** CSS grid track, e.g. '2fr' or '120px'. */
  width: string;
  render: (record: T) => ReactNode;
  /** Sort key this column header toggles; absent when the column cannot be sorted efficiently. */
  sortKey?: string;
  /** Hide on narrow windows. */
  hideBelow?: 'sm' | 'md' | 'lg' | 'xl';
};

export type SortState = { key: string; direction: 'asc' | 'desc' };
