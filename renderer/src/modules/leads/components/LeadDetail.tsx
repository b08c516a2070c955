import AutorenewIcon from '@mui/icons-material/Autorenew';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { RecordActivities } from '@renderer/modules/activity/components/RecordActivities';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { LinkedRecordChips } from '@renderer/modules/object-record/components/LinkedRecordChips';
import {
  RecordDetail,
  type RecordDetailConfig,
} from '@renderer/modules/object-record/components/RecordDetail';
import { RecordFieldList } from '@renderer/modules/object-record/components/RecordFieldList';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import type { Contact, Lead } from '@shared/schemas';
import { unlinkLead } from '@shared/sync';
import { leadFields } from '../utils/leadFields';
import { LinkLeadToContact } from './LinkLeadToContact';

const leadDetailConfig: RecordDetailConfig<Lead> = {
  collection: 'leads',
  noun: 'lead',
  pluralNoun: 'leads',
  listPath: '/leads',
  linkedCollection: 'contacts',
  linkField: 'contactId',
  deleteMessage: 'The lead is deleted on every device after the next sync.',
  deleteLinkedMessage:
    'The lead is deleted on every device after the next sync. Its contact stays, unlinked.',
};

export function LeadDetail({ id }: { id: string }) {
  const db = useDatabase();
  return (
    <RecordDetail<Lead, Contact> config={leadDetailConfig} id={id}>
      {(lead, contact, reportError) => (
        <>
          {lead.autoCreatedFromContact && (
            <Alert severity="info" icon={<AutorenewIcon />} sx={{ mb: 2 }}>
              This lead was automatically created from a contact
            </Alert>
          )}
          {contact !== null && (lead.status === 'Won' || lead.status === 'Lost') && (
            <Alert severity="info" data-testid="closed-lead-notice" sx={{ mb: 2 }}>
              {`This lead is ${lead.status}, so it no longer follows its contact: edits to ${displayName(contact)} stay on the contact, and edits here stay on this lead. Reopen the lead to link their data again.`}
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
                      reportError(`Could not unlink: ${errorMessage(unlinkError)}`),
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
          <RecordActivities target={{ leadId: id }} />
        </>
      )}
    </RecordDetail>
  );
}
