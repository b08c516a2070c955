import AddIcon from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { PipelineBoard } from '../modules/pipeline/components/PipelineBoard';

export function PipelinePage() {
  const navigate = useNavigate();
  const openLead = useCallback(
    (leadId: string) => navigate(`/leads/${encodeURIComponent(leadId)}`),
    [navigate],
  );
  return (
    <Box sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        Pipeline
      </Typography>
      <Box sx={{ flex: 1, minHeight: 360, display: 'flex', flexDirection: 'column' }}>
        <PipelineBoard
          onOpenLead={openLead}
          actions={
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => navigate('/leads/new')}>
              New lead
            </Button>
          }
        />
      </Box>
    </Box>
  );
}
