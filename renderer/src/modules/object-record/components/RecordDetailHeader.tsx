import ArrowBack from '@mui/icons-material/ArrowBack';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

export type RecordDetailHeaderProps = {
  title: string;
  backTo: string;
  backLabel: string;
  badges?: ReactNode;
  actions?: ReactNode;
};

export function RecordDetailHeader({ title, backTo, backLabel, badges, actions }: RecordDetailHeaderProps) {
  const navigate = useNavigate();
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 2 }}>
      <Tooltip title={backLabel}>
        <IconButton aria-label={backLabel} onClick={() => navigate(backTo)}>
          <ArrowBack />
        </IconButton>
      </Tooltip>
      <Typography variant="h5" component="h1" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {badges}
      <Box sx={{ flex: 1 }} />
      {actions}
    </Box>
  );
}
