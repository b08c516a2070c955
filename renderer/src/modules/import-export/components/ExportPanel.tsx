import DownloadIcon from '@mui/icons-material/DownloadOutlined';
import { Alert, Box, Button, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { useId, useMemo, useRef, useState } from 'react';
import { downloadAllRecordsCsv, type ExportProgress } from '../utils/exportCsv';
import type { ImportEntity } from '../utils/importFields';

/** Exports every live contact or lead of this device to a CSV file, with its progress and a way to stop. */
export function ExportPanel() {
  const db = useDatabase();
  const headingId = useId();
  const [busy, setBusy] = useState<ImportEntity | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);
  const contactCount$ = useMemo(() => db.contacts.count().$, [db]);
  const leadCount$ = useMemo(() => db.leads.count().$, [db]);
  const contactCount = useObservable(contactCount$, 0);
  const leadCount = useObservable(leadCount$, 0);
  // No "(0)" while a count over 100,000 records is still running.
  const counts = {
    contacts: contactCount.ready ? contactCount.value : null,
    leads: leadCount.ready ? leadCount.value : null,
  };

  const exportEntity = async (entity: ImportEntity) => {
    const controller = new AbortController();
    running.current = controller;
    setBusy(entity);
    setProgress(null);
    setError(null);
    setDone(null);
    try {
      const count = await downloadAllRecordsCsv(db, entity, {
        onProgress: setProgress,
        signal: controller.signal,
      });
      setDone(`Exported ${count.toLocaleString()} ${count === 1 ? entity.slice(0, -1) : entity}.`);
    } catch (exportError) {
      if (controller.signal.aborted) setDone(`Export of ${entity} stopped; no file was saved.`);
      else setError(`Could not export ${entity}: ${errorMessage(exportError)}`);
    } finally {
      running.current = null;
      setBusy(null);
      setProgress(null);
    }
  };

  return (
    <Paper component="section" aria-labelledby={headingId} variant="outlined" sx={{ p: 2 }}>
      <Typography id={headingId} variant="h6" component="h2" gutterBottom>
        Export to CSV
      </Typography>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
        {(['contacts', 'leads'] as const).map((entity) => (
          <Button
            key={entity}
            variant="outlined"
            startIcon={<DownloadIcon />}
            disabled={busy !== null}
            onClick={() => exportEntity(entity)}
          >
            Export {entity}
            {counts[entity] !== null && ` (${counts[entity].toLocaleString()})`}
          </Button>
        ))}
      </Stack>
      {busy && (
        <Box sx={{ mt: 2 }}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Typography role="status" variant="body2" sx={{ flexGrow: 1 }}>
              {progress
                ? `Exporting ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} ${busy}…`
                : `Exporting ${busy}…`}
            </Typography>
            <Button size="small" onClick={() => running.current?.abort()}>
              Stop
            </Button>
          </Stack>
          <LinearProgress
            aria-label={`Export of ${busy}`}
            variant={progress ? 'determinate' : 'indeterminate'}
            value={progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0}
            sx={{ mt: 1 }}
          />
        </Box>
      )}
      {error && (
        <Alert severity="error" sx={{ mt: 2 }} onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {done && (
        <Alert severity="success" sx={{ mt: 2 }} role="status" onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
    </Paper>
  );
}
