import { useParams } from 'react-router';
import { contactFields } from '../modules/contacts/utils/contactFields';
import { RecordEditor } from '../modules/object-record/components/RecordEditor';

const newContactDefaults = { status: 'Prospect' };

/** /contacts/new and /contacts/:id/edit */
export function ContactEditPage() {
  const { id = null } = useParams();
  return (
    <RecordEditor
      key={id ?? 'new'}
      collection="contacts"
      fields={contactFields}
      id={id}
      noun="contact"
      newDefaults={newContactDefaults}
      detailPath={(contactId) => `/contacts/${encodeURIComponent(contactId)}`}
      listPath="/contacts"
    />
  );
}
