import Link from '@mui/material/Link';
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
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
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

function cellOf<T extends ListedRecord>(
  field: CatalogueField & { column: ListColumn },
  detailPath: (record: T) => string,
): (record: T) => ReactNode {
  const value = (record: T) => (record as unknown as Record<string, unknown>)[field.name];
  if (field.column.id === 'name')
    return (record) => (
      <Link
        component={RouterLink}
        to={detailPath(record)}
        underline="hover"
        color="inherit"
        // The grid cell is the tab stop (one per list); Enter on it opens the record.
        tabIndex={-1}
        sx={{ fontWeight: 500, overflow: 'hidden', textOverflow: 'ellipsis' }}
        onClick={(event) => event.stopPropagation()}
      >
        {displayName(record)}
      </Link>
    );
  if (field.name === 'status')
    return (record) => <StatusChip status={value(record) as ContactStatus | LeadStatus} />;
  if (field.type === 'datetime') return (record) => formatDateTime(value(record) as number);
  return (record) => (value(record) as ReactNode) ?? '';
}
