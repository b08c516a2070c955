import DownloadIcon from '@mui/icons-material/DownloadOutlined';
import { Alert, Button, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { downloadAllRecordsCsv, type ExportProgress } from '../utils/exportCsv';
import type { ImportEntity } from '../utils/importFields';

type Outcome = { severity: 'success' | 'info' | 'error'; text: string };

/** Screen readers hear the progress in steps of this share, not after each of 50 pages. */
const ANNOUNCED_STEP = 0.25;

/** Exports every live contact or lead of this device to a CSV file, with its progress and a way to stop. */
export function ExportPanel() {
  const db = useDatabase();
  const headingId = useId();
  const [busy, setBusy] = useState<ImportEntity | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const running = useRef<AbortController | null>(null);
  const exportButtons = useRef<Partial<Record<ImportEntity, HTMLButtonElement | null>>>({});
  const contactCount$ = useMemo(() => db.contacts.count().$, [db]);
  const leadCount$ = useMemo(() => db.leads.count().$, [db]);
  const contactCount = useObservable(contactCount$, 0);
  const leadCount = useObservable(leadCount$, 0);
  // No "(0)" while a count over 100,000 records is still running.
  const counts = {
    contacts: contactCount.ready ? contactCount.value : null,
    leads: leadCount.ready ? leadCount.value : null,
  };
  // Leaving the view stops an export: no file arrives later from a screen the user has left.
  useEffect(() => () => running.current?.abort(), []);

  const exportEntity = async (entity: ImportEntity) => {
    const controller = new AbortController();
    running.current = controller;
    setBusy(entity);
    setProgress(null);
    setOutcome(null);
    try {
      const count = await downloadAllRecordsCsv(db, entity, {
        onProgress: setProgress,
        signal: controller.signal,
      });
      const noun = count === 1 ? entity.slice(0, -1) : entity;
      setOutcome({ severity: 'success', text: `Exported ${count.toLocaleString()} ${noun}.` });
    } catch (exportError) {
      setOutcome(
        controller.signal.aborted
          ? { severity: 'info', text: `Export of ${entity} stopped; no file was saved.` }
          : { severity: 'error', text: `Could not export ${entity}: ${errorMessage(exportError)}` },
      );
    } finally {
      running.current = null;
      setBusy(null);
      setProgress(null);
    }
    // The Stop button is gone: keep the keyboard where the export started.
    if (document.activeElement === document.body) exportButtons.current[entity]?.focus();
  };

  const share = progress && progress.total > 0 ? progress.done / progress.total : 0;
  const announcedShare = Math.floor(share / ANNOUNCED_STEP) * ANNOUNCED_STEP;
  return (
    <Paper component="section" aria-labelledby={headingId} variant="outlined" sx={{ p: 2 }}>
      <Typography id={headingId} variant="h6" component="h2" gutterBottom>
        Export to CSV
      </Typography>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
        {(['contacts', 'leads'] as const).map((entity) => (
          <Button
            key={entity}
            ref={(button) => {
              exportButtons.current[entity] = button;
            }}
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
      {/* Mounted before the export starts, so that screen readers announce its first words too. */}
      <Typography role="status" variant="body2" sx={{ mt: busy ? 2 : 0 }}>
        {busy &&
          (progress
            ? `Exporting ${busy}: ${Math.round(announcedShare * 100)} % (${progress.total.toLocaleString()} in all)…`
            : `Exporting ${busy}…`)}
      </Typography>
      {busy && (
        <Stack direction="row" spacing={2} sx={{ mt: 1, alignItems: 'center' }}>
          <LinearProgress
            aria-label={`Export of ${busy}`}
            variant={progress ? 'determinate' : 'indeterminate'}
            value={share * 100}
            sx={{ flexGrow: 1 }}
          />
          <Typography variant="body2" aria-hidden sx={{ fontVariantNumeric: 'tabular-nums' }}>
            {progress && `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}`}
          </Typography>
          <Button size="small" aria-label={`Stop exporting ${busy}`} onClick={() => running.current?.abort()}>
            Stop
          </Button>
        </Stack>
      )}
      {outcome && (
        <Alert
          severity={outcome.severity}
          role={outcome.severity === 'error' ? 'alert' : 'status'}
          sx={{ mt: 2 }}
          onClose={() => setOutcome(null)}
        >
          {outcome.text}
        </Alert>
      )}
    </Paper>
  );
}
