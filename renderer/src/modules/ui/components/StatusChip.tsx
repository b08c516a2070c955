import Chip from '@mui/material/Chip';
import type { ContactStatus, LeadStatus } from '@shared/schemas';

type ChipColor = 'default' | 'primary' | 'secondary' | 'success' | 'warning' | 'error' | 'info';

const statusColors: Record<ContactStatus | LeadStatus, ChipColor> = {
  Lead: 'info',
  Prospect: 'secondary',
  Active: 'success',
  Inactive: 'default',
  New: 'info',
  Contacted: 'primary',
  Qualified: 'secondary',
  Won: 'success',
  Lost: 'default',
};

export function StatusChip({ status }: { status: ContactStatus | LeadStatus }) {
  return <Chip size="small" label={status} color={statusColors[status]} variant="outlined" />;
}
