import DownloadIcon from '@mui/icons-material/DownloadOutlined';
import { Button, Stack, TableCell, TableRow, Typography } from '@mui/material';
import { useId } from 'react';
import type { RowIssue } from '../utils/validateRows';
import { ScrollingTable } from './ScrollingTable';

/** Rows shown at once; the rest are counted (a 10,000-row file of bad rows must not build 10,000 table rows). */
const MAX_SHOWN = 500;
const columns = [{ label: 'Row', width: 90 }, { label: 'Problems' }];

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
      <ScrollingTable labelledBy={headingId} maxHeight={420} columns={columns}>
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
      </ScrollingTable>
      {rows.length > MAX_SHOWN && (
        <Typography variant="body2" color="text.secondary">
          Showing the first {MAX_SHOWN} of {rows.length} rows. Download them all, fix them and import that
          file.
        </Typography>
      )}
    </>
  );
}
