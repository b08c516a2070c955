import { useParams } from 'react-router';
import { LeadDetail } from '../modules/leads/components/LeadDetail';

export function LeadDetailPage() {
  const { id = '' } = useParams();
  return <LeadDetail key={id} id={id} />;
}
