import type { Contact } from '@shared/schemas';
import { contactIndexConfig } from '../modules/contacts/utils/contactIndexConfig';
import { RecordIndex } from '../modules/object-record/components/RecordIndex';

export function ContactsPage() {
  return <RecordIndex<Contact> config={contactIndexConfig} />;
}
