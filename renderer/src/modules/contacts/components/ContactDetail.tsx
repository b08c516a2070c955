import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { RxCollection } from 'rxdb';
import type { Contact, Lead } from '../../../../../shared/schemas';
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
import { contactFields } from '../utils/contactFields';

export function ContactDetail({ id }: { id: string }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const { record: contact, ready, error } = useRecord(db.contacts as RxCollection<Contact>, id);
  const { record: lead } = useRecord(db.leads as RxCollection<Lead>, contact?.leadId || null);
  const pending = usePendingIds('contacts').has(id);
  const [actionError, setActionError] = useState<string | null>(null);

  if (error !== null)
    return <Alert severity="error">{`Could not load the contact: ${errorMessage(error)}`}</Alert>;
  if (!ready) return null;
  if (contact === null) {
    return (
      <EmptyState
        title="Contact not found"
        hint="It may have been deleted, here or on another device. Go back to the list to find another one."
        action={<Button onClick={() => navigate('/contacts')}>Back to contacts</Button>}
      />
    );
  }

  return (
    <Box sx={{ overflowY: 'auto' }}>
      <RecordDetailHeader
        title={displayName(contact)}
        backTo="/contacts"
        backLabel="Back to contacts"
        badges={
          <>
            <StatusChip status={contact.status} />
            {pending && <PendingMark />}
          </>
        }
        actions={
          <>
            <Button variant="contained" onClick={() => navigate(`/contacts/${encodeURIComponent(id)}/edit`)}>
              Edit
            </Button>
            <DeleteRecordButton
              label="Delete contact"
              message={
                contact.leadId
                  ? 'The contact is deleted on every device after the next sync. Its lead stays, unlinked.'
                  : 'The contact is deleted on every device after the next sync.'
              }
              onDelete={async () => {
                await contact.remove();
                navigate('/contacts');
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
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        {lead !== null ? (
          <LinkedRecordChips
            heading="Linked lead"
            label={`Lead: ${displayName(lead)}`}
            to={`/leads/${encodeURIComponent(lead.id)}`}
            status={lead.status}
          />
        ) : (
          <Typography color="text.secondary">
            No linked lead. Set the status to Lead to create one, or link an existing lead from its page.
          </Typography>
        )}
        {contact.isConvertedFromLead && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {`Converted from a lead${contact.conversionDate ? ` on ${formatDateTime(contact.conversionDate)}` : ''}.`}
          </Typography>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <RecordFieldList fields={contactFields} record={contact.toJSON() as Record<string, unknown>} />
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {`Created ${formatDateTime(contact.createdAt)} · Updated ${formatDateTime(contact.updatedAt)}`}
        </Typography>
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <ActivityTimeline contactId={id} />
      </Paper>
    </Box>
  );
}
