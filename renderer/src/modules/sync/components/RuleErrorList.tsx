import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import { clearRuleErrors, dismissRuleError, type RuleError } from '@shared/sync';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { recordPath } from '../utils/recordPath';

/** Link rules that could not update the linked record; the reconciler repairs the pair later. */
export function RuleErrorList({ errors }: { errors: RuleError[] }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const [actionError, setActionError] = useState<string | null>(null);
  const run = (action: Promise<unknown>, what: string) =>
    action.catch((error: unknown) => setActionError(`Could not ${what}: ${errorMessage(error)}`));
  return (
    <Box component="section" aria-labelledby="rule-errors-heading">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1 }}>
        <Typography id="rule-errors-heading" variant="h6" component="h2">
          {`Link rule errors (${errors.length})`}
        </Typography>
        {errors.length > 0 && (
          <Button size="small" onClick={() => run(clearRuleErrors(db), 'clear the rule errors')}>
            Clear rule errors
          </Button>
        )}
      </Box>
      {actionError !== null && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {actionError}
        </Alert>
      )}
      {errors.length === 0 ? (
        <Typography color="text.secondary">
          No rule errors: every change to a contact or lead was carried over to its linked record.
        </Typography>
      ) : (
        <List disablePadding sx={{ display: 'grid', gap: 1 }}>
          {errors.map((ruleError) => {
            const targetPath = recordPath(ruleError.target.collection, ruleError.target.id);
            const triggerPath = recordPath(ruleError.trigger.collection, ruleError.trigger.id);
            return (
              <ListItem key={ruleError.id} disablePadding>
                <Paper
                  variant="outlined"
                  sx={{ p: 2, width: '100%' }}
                  component="article"
                  aria-label={`Rule ${ruleError.rule} error`}
                >
                  <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
                    <Chip size="small" color="warning" variant="outlined" label={`Rule ${ruleError.rule}`} />
                    <Typography variant="body2" color="text.secondary">
                      {formatDateTime(ruleError.at)}
                    </Typography>
                  </Box>
                  <Typography>{ruleError.message}</Typography>
                  <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
                    {triggerPath !== null && (
                      <Button size="small" variant="outlined" onClick={() => navigate(triggerPath)}>
                        {`Open changed ${ruleError.trigger.collection.replace(/s$/, '')}`}
                      </Button>
                    )}
                    {targetPath !== null && (
                      <Button size="small" variant="outlined" onClick={() => navigate(targetPath)}>
                        {`Open linked ${ruleError.target.collection.replace(/s$/, '')}`}
                      </Button>
                    )}
                    <Button
                      size="small"
                      aria-label={`Dismiss rule ${ruleError.rule} error`}
                      onClick={() => run(dismissRuleError(db, ruleError.id), 'dismiss the error')}
                    >
                      Dismiss
                    </Button>
                  </Box>
                </Paper>
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
}
