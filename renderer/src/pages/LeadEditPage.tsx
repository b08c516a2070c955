import { useParams } from 'react-router';
import { leadFields } from '../modules/leads/utils/leadFields';
import { RecordEditor } from '../modules/object-record/components/RecordEditor';

const newLeadDefaults = { status: 'New', priority: 'Medium' };

/** /leads/new and /leads/:id/edit */
export function LeadEditPage() {
  const { id = null } = useParams();
  return (
    <RecordEditor
      key={id ?? 'new'}
      collection="leads"
      fields={leadFields}
      id={id}
      noun="lead"
      newDefaults={newLeadDefaults}
      detailPath={(leadId) => `/leads/${encodeURIComponent(leadId)}`}
      listPath="/leads"
    />
  );
}
