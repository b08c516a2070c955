import AutorenewIcon from '@mui/icons-material/Autorenew';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { RxCollection } from 'rxdb';
import type { Contact, Lead } from '../../../../../shared/schemas';
import { unlinkLead } from '../../../../../shared/sync';
import { ActivityTimeline } from '../../activity/components/ActivityTimeline';
import { useDatabase } from '../../database/hooks/useDatabase';
import { DeleteRecordButton } from '../../object-record/components/DeleteRecordButton';
import { LinkedRecordChips } from '../../object-record/components/LinkedRecordChips';
import { RecordDetailHeader } from '../../object-record/components/RecordDetailHeader';
import { RecordFieldList } from '../../object-record/components/RecordFieldList';
import { useRecord } from '../../object-record/hooks/useRecord';
import { displayName } from '../../object-record/utils/displayName';
import { PendingMark } from '../../sync/components/PendingMark';
import { usePendingIds } from '../../sync/hooks/usePendingIds';
import { EmptyState } from '../../ui/components/EmptyState';
import { StatusChip } from '../../ui/components/StatusChip';
import { errorMessage } from '../../ui/utils/errorMessage';
import { formatDateTime } from '../../ui/utils/formatDateTime';
import { leadFields } from '../utils/leadFields';
import { LinkLeadToContact } from './LinkLeadToContact';

export function LeadDetail({ id }: { id: string }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const { record: lead, ready, error } = useRecord(db.leads as RxCollection<Lead>, id);
  const { record: contact } = useRecord(db.contacts as RxCollection<Contact>, lead?.contactId || null);
  const pending = usePendingIds('leads').has(id);
  const [actionError, setActionError] = useState<string | null>(null);

  if (error !== null)
    return <Alert severity="error">{`Could not load the lead: ${errorMessage(error)}`}</Alert>;
  if (!ready) return null;
  if (lead === null) {
    return (
      <EmptyState
        title="Lead not found"
        hint="It may have been deleted, here or on another device. Go back to the list to find another one."
        action={<Button onClick={() => navigate('/leads')}>Back to leads</Button>}
      />
    );
  }

  return (
    <Box sx={{ overflowY: 'auto' }}>
      <RecordDetailHeader
        title={displayName(lead)}
        backTo="/leads"
        backLabel="Back to leads"
        badges={
          <>
            <StatusChip status={lead.status} />
            {pending && <PendingMark />}
          </>
        }
        actions={
          <>
            <Button variant="contained" onClick={() => navigate(`/leads/${encodeURIComponent(id)}/edit`)}>
              Edit
            </Button>
            <DeleteRecordButton
              label="Delete lead"
              message={
                lead.contactId
                  ? 'The lead is deleted on every device after the next sync. Its contact stays, unlinked.'
                  : 'The lead is deleted on every device after the next sync.'
              }
              onDelete={async () => {
                await lead.remove();
                navigate('/leads');
              }}
              onError={(removeError) => setActionError(`Could not delete: ${errorMessage(removeError)}`)}
            />
          </>
        }
      />
      {actionError !== null && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {actionError}
        </Alert>
      )}
      {lead.autoCreatedFromContact && (
        <Alert severity="info" icon={<AutorenewIcon />} sx={{ mb: 2 }}>
          This lead was automatically created from a contact
        </Alert>
      )}
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        {contact !== null ? (
          <Box sx={{ display: 'flex', alignItems: 'flex-end', gap: 2, flexWrap: 'wrap' }}>
            <LinkedRecordChips
              heading="Linked contact"
              label={`Contact: ${displayName(contact)}`}
              to={`/contacts/${encodeURIComponent(contact.id)}`}
              status={contact.status}
            />
            <Button
              size="small"
              onClick={() =>
                unlinkLead(db, id).catch((unlinkError: unknown) =>
                  setActionError(`Could not unlink: ${errorMessage(unlinkError)}`),
                )
              }
            >
              Unlink contact
            </Button>
          </Box>
        ) : (
          <LinkLeadToContact leadId={id} />
        )}
        {lead.isConvertedToContact && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {`Converted to a customer${lead.conversionDate ? ` on ${formatDateTime(lead.conversionDate)}` : ''}.`}
          </Typography>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <RecordFieldList fields={leadFields} record={lead.toJSON() as Record<string, unknown>} />
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {`Created ${formatDateTime(lead.createdAt)} · Updated ${formatDateTime(lead.updatedAt)}`}
        </Typography>
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <ActivityTimeline leadId={id} />
      </Paper>
    </Box>
  );
}
