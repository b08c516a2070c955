import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { RuleErrorList } from '../modules/sync/components/RuleErrorList';
import { SyncIssueList } from '../modules/sync/components/SyncIssueList';
import { useRuleErrors } from '../modules/sync/hooks/useRuleErrors';
import { useSyncIssues } from '../modules/sync/hooks/useSyncIssues';
import { errorMessage } from '../modules/ui/utils/errorMessage';

export function SyncIssuesPage() {
  const issues = useSyncIssues();
  const ruleErrors = useRuleErrors();
  const loadError = issues.error ?? ruleErrors.error;
  return (
    <Box sx={{ overflowY: 'auto' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        Sync issues
      </Typography>
      {loadError !== null && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {`Could not load sync issues: ${errorMessage(loadError)}`}
        </Alert>
      )}
      <SyncIssueList issues={issues.value} />
      <RuleErrorList errors={ruleErrors.value} />
    </Box>
  );
}
