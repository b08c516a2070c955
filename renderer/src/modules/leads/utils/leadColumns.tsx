import Link from '@mui/material/Link';
import type { ColumnDefinition } from '@renderer/modules/object-record/types/ColumnDefinition';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { StatusChip } from '@renderer/modules/ui/components/StatusChip';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import { formatMoney } from '@renderer/modules/ui/utils/formatMoney';
import type { Lead } from '@shared/schemas';
import { Link as RouterLink } from 'react-router';

export const leadColumns: ColumnDefinition<Lead>[] = [
  {
    id: 'name',
    label: 'Name',
    width: 'minmax(160px, 2fr)',
    sortKey: 'name',
    render: (lead) => (
      <Link
        component={RouterLink}
        to={`/leads/${encodeURIComponent(lead.id)}`}
        underline="hover"
        color="inherit"
        sx={{ fontWeight: 500, overflow: 'hidden', textOverflow: 'ellipsis' }}
        onClick={(event) => event.stopPropagation()}
      >
        {displayName(lead)}
      </Link>
    ),
  },
  {
    id: 'company',
    label: 'Company',
    width: 'minmax(120px, 1.5fr)',
    hideBelow: 'sm',
    sortKey: 'company',
    render: (lead) => lead.company,
  },
  {
    id: 'email',
    label: 'Email',
    width: 'minmax(160px, 2fr)',
    hideBelow: 'lg',
    sortKey: 'email',
    render: (lead) => lead.email,
  },
  { id: 'priority', label: 'Priority', width: '90px', hideBelow: 'md', render: (lead) => lead.priority },
  {
    id: 'value',
    label: 'Value',
    width: '110px',
    hideBelow: 'md',
    sortKey: 'value',
    render: (lead) => formatMoney(lead.value),
  },
  {
    id: 'status',
    label: 'Status',
    width: '120px',
    sortKey: 'status',
    render: (lead) => <StatusChip status={lead.status} />,
  },
  {
    id: 'updatedAt',
    label: 'Updated',
    width: '170px',
    sortKey: 'updatedAt',
    hideBelow: 'md',
    render: (lead) => formatDateTime(lead.updatedAt),
  },
];
