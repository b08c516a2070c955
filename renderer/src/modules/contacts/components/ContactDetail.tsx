import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { RecordActivities } from '@renderer/modules/activity/components/RecordActivities';
import { LinkedRecordChips } from '@renderer/modules/object-record/components/LinkedRecordChips';
import {
  RecordDetail,
  type RecordDetailConfig,
} from '@renderer/modules/object-record/components/RecordDetail';
import { RecordFieldList } from '@renderer/modules/object-record/components/RecordFieldList';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import type { Contact, Lead } from '@shared/schemas';
import { contactFields } from '../utils/contactFields';

const contactDetailConfig: RecordDetailConfig<Contact> = {
  collection: 'contacts',
  noun: 'contact',
  pluralNoun: 'contacts',
  listPath: '/contacts',
  linkedCollection: 'leads',
  linkField: 'leadId',
  deleteMessage: 'The contact is deleted on every device after the next sync.',
  deleteLinkedMessage:
    'The contact is deleted on every device after the next sync. Its lead stays, unlinked.',
};

export function ContactDetail({ id }: { id: string }) {
  return (
    <RecordDetail<Contact, Lead> config={contactDetailConfig} id={id}>
      {(contact, lead) => (
        <>
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
          <RecordActivities target={{ contactId: id }} />
        </>
      )}
    </RecordDetail>
  );
}
