import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { DuplicatePairList } from '../modules/duplicates/components/DuplicatePairList';
import { useDuplicatePairs } from '../modules/duplicates/hooks/useDuplicates';
import { EmptyState } from '../modules/ui/components/EmptyState';
import { errorMessage } from '../modules/ui/utils/errorMessage';

export function DuplicatesPage() {
  const pairs = useDuplicatePairs();
  return (
    <Box sx={{ overflowY: 'auto' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        Duplicates
      </Typography>
      {pairs.error !== null && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {`Could not load duplicates: ${errorMessage(pairs.error)}`}
        </Alert>
      )}
      {pairs.ready && pairs.value.length === 0 ? (
        <EmptyState
          title="No possible duplicates"
          hint="Records with the same email, the same name and company, or the same phone are listed here."
        />
      ) : (
        <DuplicatePairList pairs={pairs.value} />
      )}
    </Box>
  );
}
