import DownloadIcon from '@mui/icons-material/DownloadOutlined';
import { Alert, Button, Paper, Stack, Typography } from '@mui/material';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { Contact, Lead } from '@shared/schemas';
import { useId, useMemo, useState } from 'react';
import { downloadRecordsCsv } from '../utils/exportCsv';
import type { ImportEntity } from '../utils/importFields';

/** Exports every live contact or lead of this device to a CSV file. */
export function ExportPanel() {
  const db = useDatabase();
  const headingId = useId();
  const [busy, setBusy] = useState<ImportEntity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const contactCount$ = useMemo(() => db.contacts.count().$, [db]);
  const leadCount$ = useMemo(() => db.leads.count().$, [db]);
  const counts = {
    contacts: useObservable(contactCount$, 0).value,
    leads: useObservable(leadCount$, 0).value,
  };

  const exportEntity = async (entity: ImportEntity) => {
    setBusy(entity);
    setError(null);
    setDone(null);
    try {
      const docs = await db[entity].find().exec();
      const records = docs.map((doc) => doc.toJSON() as Contact | Lead);
      await downloadRecordsCsv(db, entity, records);
      setDone(`Exported ${records.length} ${entity}.`);
    } catch (exportError) {
      setError(`Could not export ${entity}: ${errorMessage(exportError)}`);
    } finally {
      setBusy(null);
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
            Export {entity} ({counts[entity]})
          </Button>
        ))}
      </Stack>
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
