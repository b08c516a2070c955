import Link from '@mui/material/Link';
import type { ColumnDefinition } from '@renderer/modules/object-record/types/ColumnDefinition';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { StatusChip } from '@renderer/modules/ui/components/StatusChip';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import type { Contact } from '@shared/schemas';
import { Link as RouterLink } from 'react-router';

export const contactColumns: ColumnDefinition<Contact>[] = [
  {
    id: 'name',
    label: 'Name',
    width: 'minmax(160px, 2fr)',
    sortKey: 'name',
    render: (contact) => (
      <Link
        component={RouterLink}
        to={`/contacts/${encodeURIComponent(contact.id)}`}
        underline="hover"
        color="inherit"
        sx={{ fontWeight: 500, overflow: 'hidden', textOverflow: 'ellipsis' }}
        onClick={(event) => event.stopPropagation()}
      >
        {displayName(contact)}
      </Link>
    ),
  },
  {
    id: 'email',
    label: 'Email',
    width: 'minmax(160px, 2fr)',
    hideBelow: 'sm',
    sortKey: 'email',
    render: (contact) => contact.email,
  },
  {
    id: 'company',
    label: 'Company',
    width: 'minmax(120px, 1.5fr)',
    hideBelow: 'md',
    sortKey: 'company',
    render: (contact) => contact.company,
  },
  {
    id: 'phone',
    label: 'Phone',
    width: 'minmax(110px, 1fr)',
    hideBelow: 'lg',
    render: (c) => c.phone || c.mobile,
  },
  {
    id: 'status',
    label: 'Status',
    width: '120px',
    sortKey: 'status',
    render: (c) => <StatusChip status={c.status} />,
  },
  {
    id: 'updatedAt',
    label: 'Updated',
    width: '170px',
    sortKey: 'updatedAt',
    hideBelow: 'md',
    render: (contact) => formatDateTime(contact.updatedAt),
  },
];
