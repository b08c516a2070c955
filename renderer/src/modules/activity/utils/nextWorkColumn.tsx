import type { ColumnDefinition } from '@renderer/modules/object-record/types/ColumnDefinition';
import { NextWorkCell } from '../components/NextWorkCell';

/** The list's columns with "Next activity" (the soonest open planned work) inserted before "Updated". */
export function withNextWorkColumn<T extends { id: string }>(
  columns: ColumnDefinition<T>[],
  of: 'contactId' | 'leadId',
): ColumnDefinition<T>[] {
  const column: ColumnDefinition<T> = {
    id: 'nextWork',
    label: 'Next activity',
    width: 'minmax(130px, 1.5fr)',
    hideBelow: 'md',
    render: (record) => <NextWorkCell {...{ [of]: record.id }} />,
  };
  const at = columns.findIndex((existing) => existing.id === 'updatedAt');
  return at < 0 ? [...columns, column] : [...columns.slice(0, at), column, ...columns.slice(at)];
}
