import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { dismissSyncIssue, restoreDeletedFromIssue, type SyncIssue } from '@shared/sync';
import { useNavigate } from 'react-router';
import { recordPath } from '../utils/recordPath';
import { LocalListCard, LocalListSection } from './LocalListSection';

const kindLabels: Record<SyncIssue['kind'], string> = {
  rejected: 'Rejected by the server',
  'deleted-while-edited': 'Deleted elsewhere while edited here',
  'merged-while-edited': 'Merged elsewhere while edited here',
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
  return (
    <LocalListSection
      id="sync-issues-heading"
      heading="Documents not synchronized"
      items={issues}
      empty="Nothing to fix: every document this device sent was accepted by the server."
      renderItem={(issue, run) => {
        // An edit applied to the record its target was merged into opens that record.
        const path = recordPath(issue.collection, issue.targetId ?? issue.documentId);
        return (
          <LocalListCard
            label={recordLabel(issue)}
            kind={{ label: kindLabels[issue.kind], color: issue.targetId ? 'warning' : 'error' }}
            title={recordLabel(issue)}
            at={issue.at}
            actions={
              <>
                {(issue.kind === 'rejected' || issue.targetId) && path !== null && (
                  <Button size="small" variant="outlined" onClick={() => navigate(path)}>
                    Open record
                  </Button>
                )}
                {issue.kind === 'deleted-while-edited' && (
                  <Button
                    size="small"
                    variant="outlined"
                    onClick={() => run(restoreDeletedFromIssue(db, issue.id), 'restore the record')}
                  >
                    Restore
                  </Button>
                )}
                <Button size="small" onClick={() => run(dismissSyncIssue(db, issue.id), 'dismiss the issue')}>
                  Dismiss
                </Button>
              </>
            }
          >
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
          </LocalListCard>
        );
      }}
    />
  );
}
