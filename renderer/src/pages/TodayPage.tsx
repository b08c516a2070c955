import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { RxCollection } from 'rxdb';
import { WorkList } from '../modules/activity/components/WorkList';
import { useMyDueWork } from '../modules/activity/hooks/useMyDueWork';
import { useRecordNames } from '../modules/activity/hooks/useRecordNames';
import { useDatabase } from '../modules/database/hooks/useDatabase';
import { EmptyState } from '../modules/ui/components/EmptyState';

type Named = { id: string; firstName: string; lastName: string };

/** What is due today and overdue for the current user, across all contacts and leads. */
export function TodayPage() {
  const db = useDatabase();
  const { overdue, today, later } = useMyDueWork();
  const all = [...overdue, ...today];
  const leadNames = useRecordNames(
    db.leads as unknown as RxCollection<Named>,
    all.map((work) => work.leadId).filter(Boolean),
  );
  const contactNames = useRecordNames(
    db.contacts as unknown as RxCollection<Named>,
    all.map((work) => work.contactId).filter(Boolean),
  );
  const recordOf = (work: { leadId: string; contactId: string }) => {
    if (work.leadId && leadNames.has(work.leadId))
      return { to: `/leads/${encodeURIComponent(work.leadId)}`, name: leadNames.get(work.leadId) ?? '' };
    if (work.contactId && contactNames.has(work.contactId))
      return {
        to: `/contacts/${encodeURIComponent(work.contactId)}`,
        name: contactNames.get(work.contactId) ?? '',
      };
    return null;
  };

  return (
    <Box sx={{ overflowY: 'auto' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        Today
      </Typography>
      {all.length === 0 ? (
        <EmptyState
          title="Nothing due today"
          hint={
            later > 0
              ? `${later} more planned for later. Plan calls, meetings and tasks on a contact or lead.`
              : 'Plan calls, meetings and tasks on a contact or lead; what is due shows up here.'
          }
        />
      ) : (
        <>
          {overdue.length > 0 && (
            <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
              <Typography variant="h6" component="h2" color="error" gutterBottom>
                {`Overdue (${overdue.length})`}
              </Typography>
              <WorkList label="Overdue" items={overdue} recordOf={recordOf} />
            </Paper>
          )}
          <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
            <Typography variant="h6" component="h2" gutterBottom>
              {`Due today (${today.length})`}
            </Typography>
            {today.length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                Nothing else due today.
              </Typography>
            ) : (
              <WorkList label="Due today" items={today} recordOf={recordOf} />
            )}
          </Paper>
          {later > 0 && (
            <Typography variant="body2" color="text.secondary">
              {`${later} more planned for later.`}
            </Typography>
          )}
        </>
      )}
    </Box>
  );
}
