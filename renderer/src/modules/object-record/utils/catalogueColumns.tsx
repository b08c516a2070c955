import { styled } from '@mui/material/styles';
import { StatusChip } from '@renderer/modules/ui/components/StatusChip';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import {
  type CatalogueField,
  type ContactStatus,
  columnFieldsOf,
  type FieldCatalogue,
  type LeadStatus,
  type ListColumn,
} from '@shared/schemas';
import type { MouseEvent, ReactNode } from 'react';
import type { ColumnDefinition } from '../types/ColumnDefinition';
import { displayName } from './displayName';

type ListedRecord = { id: string; firstName: string; lastName: string };

/**
 * The list's columns from the entity's field catalogue (order, header, width, hiding, sort key); how a
 * cell looks follows the field's type, and `render` overrides it for a column id where an entity differs.
 */
export function catalogueColumns<T extends ListedRecord>(
  catalogue: FieldCatalogue<T>,
  detailPath: (record: T) => string,
  render: Partial<Record<string, (record: T) => ReactNode>> = {},
): ColumnDefinition<T>[] {
  return columnFieldsOf(catalogue).map((field) => {
    const id = field.column.id ?? field.name;
    return {
      id,
      label: field.column.header ?? field.label,
      width: field.column.width,
      hideBelow: field.column.hideBelow,
      sortKey: field.sortBy ? id : undefined,
      render: render[id] ?? cellOf(field, detailPath),
    };
  });
}

/**
 * The record's name in a list row: a plain link (a router `Link` per row cost a location subscription
 * and URL parsing on every row that scrolled into view). A plain click goes on to the row, which opens the
 * record in the app; a click with a modifier (new tab or window) is left to the browser, not to the row.
 */
const NameLink = styled('a')({
  color: 'inherit',
  fontWeight: 500,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  textDecoration: 'none',
  '&:hover': { textDecoration: 'underline' },
});

function openThroughRow(event: MouseEvent<HTMLAnchorElement>) {
  if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey)
    event.preventDefault();
  else event.stopPropagation();
}

function cellOf<T extends ListedRecord>(
  field: CatalogueField & { column: ListColumn },
  detailPath: (record: T) => string,
): (record: T) => ReactNode {
  const value = (record: T) => (record as unknown as Record<string, unknown>)[field.name];
  if (field.column.id === 'name')
    return (record) => (
      // The grid cell is the tab stop (one per list); Enter on it opens the record.
      <NameLink href={detailPath(record)} tabIndex={-1} onClick={openThroughRow}>
        {displayName(record)}
      </NameLink>
    );
  if (field.name === 'status')
    return (record) => <StatusChip status={value(record) as ContactStatus | LeadStatus} />;
  if (field.type === 'datetime') return (record) => formatDateTime(value(record) as number);
  return (record) => (value(record) as ReactNode) ?? '';
}
