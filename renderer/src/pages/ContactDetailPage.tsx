import { useParams } from 'react-router';
import { ContactDetail } from '../modules/contacts/components/ContactDetail';

export function ContactDetailPage() {
  const { id = '' } = useParams();
  return <ContactDetail key={id} id={id} />;
}
