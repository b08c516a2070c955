import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ExportPanel } from '../modules/import-export/components/ExportPanel';
import { ImportPanel } from '../modules/import-export/components/ImportPanel';

export function ImportExportPage() {
  return (
    <Stack spacing={3} sx={{ overflowY: 'auto', minHeight: 0, pb: 2 }}>
      <Typography variant="h5" component="h1" sx={{ fontWeight: 600 }}>
        Import / export
      </Typography>
      <ImportPanel />
      <ExportPanel />
    </Stack>
  );
}
