import Button from '@mui/material/Button';
import { useNavigate } from 'react-router';
import { EmptyState } from '../modules/ui/components/EmptyState';

export function NotFoundPage() {
  const navigate = useNavigate();
  return (
    <EmptyState
      title="Page not found"
      hint="This address does not lead anywhere in Fieldbook. Go to your contacts."
      action={<Button onClick={() => navigate('/contacts')}>Go to contacts</Button>}
    />
  );
}
