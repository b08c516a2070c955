import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { checkAllData, type DataCheckResult } from '@shared/sync';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';

type CheckState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: DataCheckResult }
  | { kind: 'failed'; message: string };

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The outcome in words: what was looked at, what was repaired, what is left for the user. */
function resultInWords({ checked, documentsWritten, failures }: DataCheckResult): string {
  const looked = `Checked ${count(checked, 'linked contact or lead', 'linked contacts and leads')}`;
  if (documentsWritten === 0 && failures === 0) return `${looked}: every link is consistent.`;
  const repaired = documentsWritten > 0 ? `: repaired ${count(documentsWritten, 'record', 'records')}` : '';
  if (failures === 0) return `${looked}${repaired}.`;
  return `${looked}${repaired}${repaired ? ';' : ':'} ${count(failures, 'repair', 'repairs')} could not be made.`;
}

/**
 * "Check data": the full check of every contact/lead pair. Sync rounds and start-up only look at what
 * changed since the last check (docs/replication.md), so this is the user's way to re-check everything.
 */
export function DataCheck() {
  const db = useDatabase();
  const [state, setState] = useState<CheckState>({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'running' });
    try {
      setState({ kind: 'done', result: await checkAllData(db) });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  return (
    <Box component="section" aria-labelledby="data-check-heading">
      <Typography id="data-check-heading" variant="h6" component="h2" gutterBottom>
        Data check
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        Checks that every contact and its lead agree (links, status, shared fields) and repairs what does not.
        Sync does this for the records it changes; run it if something looks out of step.
      </Typography>
      <Button variant="outlined" onClick={run} disabled={state.kind === 'running'}>
        {state.kind === 'running' ? 'Checking…' : 'Check data'}
      </Button>
      {state.kind === 'done' && (
        <Alert severity={state.result.failures > 0 ? 'warning' : 'success'} sx={{ mt: 1 }}>
          {resultInWords(state.result)}
          {state.result.failures > 0 && (
            <>
              {' '}
              <Link component={RouterLink} to="/sync-issues">
                See the link rule errors
              </Link>{' '}
              for which records and what to do.
            </>
          )}
        </Alert>
      )}
      {state.kind === 'failed' && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {`The data check stopped before the end: ${state.message}. Records it repaired so far stay repaired; run it again.`}
        </Alert>
      )}
    </Box>
  );
}
