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
import { dismissSyncIssue, restoreDeletedFromIssue, type SyncIssue } from '@shared/sync';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { recordPath } from '../utils/recordPath';

const kindLabels: Record<SyncIssue['kind'], string> = {
  rejected: 'Rejected by the server',
  'deleted-while-edited': 'Deleted elsewhere while edited here',
};

function recordLabel(issue: SyncIssue): string {
  const state = issue.localState;
  const noun = issue.collection.replace(/s$/, '');
  if (state !== null && typeof state.firstName === 'string') {
    return `${noun} ${[state.firstName, state.lastName].filter(Boolean).join(' ')}`;
  }
  if (state !== null && typeof state.name === 'string') return `${noun} ${state.name}`;
  return `${noun} ${issue.documentId}`;
}

/** Documents replication could not settle on its own, with their reasons and what the user can do. */
export function SyncIssueList({ issues }: { issues: SyncIssue[] }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const run = (action: Promise<unknown>) =>
    action.catch((actionError: unknown) => setError(errorMessage(actionError)));

  return (
    <Box component="section" aria-labelledby="sync-issues-heading" sx={{ mb: 3 }}>
      <Typography id="sync-issues-heading" variant="h6" component="h2" gutterBottom>
        {`Documents not synchronized (${issues.length})`}
      </Typography>
      {error !== null && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {error}
        </Alert>
      )}
      {issues.length === 0 ? (
        <Typography color="text.secondary">
          Nothing to fix: every document this device sent was accepted by the server.
        </Typography>
      ) : (
        <List disablePadding sx={{ display: 'grid', gap: 1 }}>
          {issues.map((issue) => {
            const path = recordPath(issue.collection, issue.documentId);
            return (
              <ListItem key={issue.id} disablePadding>
                <Paper
                  variant="outlined"
                  sx={{ p: 2, width: '100%' }}
                  aria-label={recordLabel(issue)}
                  component="article"
                >
                  <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
                    <Chip size="small" color="error" variant="outlined" label={kindLabels[issue.kind]} />
                    <Typography sx={{ fontWeight: 600 }}>{recordLabel(issue)}</Typography>
                    <Typography variant="body2" color="text.secondary">
                      {formatDateTime(issue.at)}
                    </Typography>
                  </Box>
                  <Typography>{issue.reason}</Typography>
                  {issue.issues.length > 0 && (
                    <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
                      {issue.issues.map((fieldIssue) => (
                        <li key={`${fieldIssue.field}:${fieldIssue.message}`}>
                          <Typography variant="body2">{`${fieldIssue.field}: ${fieldIssue.message}`}</Typography>
                        </li>
                      ))}
                    </Box>
                  )}
                  <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
                    {issue.kind === 'rejected' && path !== null && (
                      <Button size="small" variant="outlined" onClick={() => navigate(path)}>
                        Open record
                      </Button>
                    )}
                    {issue.kind === 'deleted-while-edited' && (
                      <Button
                        size="small"
                        variant="outlined"
                        onClick={() => run(restoreDeletedFromIssue(db, issue.id))}
                      >
                        Restore
                      </Button>
                    )}
                    <Button size="small" onClick={() => run(dismissSyncIssue(db, issue.id))}>
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
