import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { useOpenWork } from '../hooks/useOpenWork';
import { ActivityTimeline } from './ActivityTimeline';
import { WorkComposer } from './WorkComposer';
import { WorkList } from './WorkList';

type Target = { contactId: string; leadId?: undefined } | { leadId: string; contactId?: undefined };

/** A record's activities on its detail page: log or plan work, its next steps, and its history. */
export function RecordActivities({ target }: { target: Target }) {
  const { open } = useOpenWork();
  const headingId = useId();
  const nextSteps = open.filter((work) =>
    target.contactId !== undefined ? work.contactId === target.contactId : work.leadId === target.leadId,
  );
  return (
    <>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Typography id={headingId} variant="h6" component="h2" gutterBottom>
          Next steps
        </Typography>
        {nextSteps.length === 0 ? (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Nothing planned. Plan a call, meeting or task below so it shows on the card and in Today.
          </Typography>
        ) : (
          <Box sx={{ mb: 2 }}>
            <WorkList label="Next steps" items={nextSteps} />
          </Box>
        )}
        <WorkComposer target={target} />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <ActivityTimeline {...target} />
      </Paper>
    </>
  );
}
