import DownloadIcon from '@mui/icons-material/DownloadOutlined';
import {
  Button,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useId } from 'react';
import type { RowIssue } from '../utils/validateRows';

/** Rows shown at once; the rest are counted (a 10,000-row file of bad rows must not build 10,000 table rows). */
const MAX_SHOWN = 500;

export function RowIssuesTable({
  title,
  rows,
  onDownload,
}: {
  title: string;
  rows: readonly { rowNumber: number; issues: RowIssue[] }[];
  /** Saves these rows (as they were in the file, with their problems) to fix and import again. */
  onDownload: () => void;
}) {
  const headingId = useId();
  const shown = rows.slice(0, MAX_SHOWN);
  return (
    <>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography id={headingId} variant="subtitle1" component="h3">
          {title} ({rows.length})
        </Typography>
        <Button size="small" startIcon={<DownloadIcon />} onClick={onDownload}>
          Download these rows
        </Button>
      </Stack>
      <TableContainer sx={{ maxHeight: 420 }}>
        <Table size="small" stickyHeader aria-labelledby={headingId}>
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 90 }}>Row</TableCell>
              <TableCell>Problems</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((row) => (
              <TableRow key={row.rowNumber}>
                <TableCell sx={{ verticalAlign: 'top' }}>Row {row.rowNumber}</TableCell>
                <TableCell>
                  {row.issues.map((issue) => (
                    <div key={`${issue.field}: ${issue.message}`}>
                      <strong>{issue.field}</strong>: {issue.message}
                    </div>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {rows.length > MAX_SHOWN && (
        <Typography variant="body2" color="text.secondary">
          Showing the first {MAX_SHOWN} of {rows.length} rows. Download them all, fix them and import that
          file.
        </Typography>
      )}
    </>
  );
}
