import LinkIcon from '@mui/icons-material/Link';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { StatusChip } from '@renderer/modules/ui/components/StatusChip';
import type { ContactStatus, LeadStatus } from '@shared/schemas';
import { useNavigate } from 'react-router';

export type LinkedRecordChipsProps = {
  /** "Linked lead" / "Linked contact". */
  heading: string;
  /** "Lead: First Last" / "Contact: First Last" (the seed's Frontend Display). */
  label: string;
  to: string;
  status: ContactStatus | LeadStatus;
};

/** The seed's link display: a chip naming the linked record (opens it) and its status. */
export function LinkedRecordChips({ heading, label, to, status }: LinkedRecordChipsProps) {
  const navigate = useNavigate();
  return (
    <Box component="section" aria-label={heading}>
      <Typography variant="body2" color="text.secondary" component="h2" sx={{ mb: 0.5 }}>
        {heading}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Chip
          icon={<LinkIcon />}
          label={label}
          onClick={() => navigate(to)}
          color="primary"
          variant="outlined"
        />
        <StatusChip status={status} />
      </Box>
    </Box>
  );
}
