import { MenuItem, Select, TableCell, TableRow, Typography } from '@mui/material';
import { memo } from 'react';
import { type CrmPreset, notImportedReason } from '../presets/presets';
import { type ImportEntity, importFields } from '../utils/importFields';
import type { ColumnMapping } from '../utils/mapping';
import type { ParsedCsv } from '../utils/parseCsv';
import { ScrollingTable } from './ScrollingTable';

const SAMPLE_ROWS = 3;
const columns = [{ label: 'Column in file' }, { label: 'Sample values' }, { label: 'Import into' }];

type ColumnMappingTableProps = {
  labelledBy: string;
  csv: ParsedCsv;
  entity: ImportEntity;
  /** The recognised export layout: says why it leaves a column out. */
  preset: CrmPreset | null;
  mapping: ColumnMapping;
  /** Fields chosen for more than one column, marked as errors. */
  duplicates: readonly string[];
  disabled: boolean;
  onChange: (header: string, field: string | null) => void;
};

/** One row per CSV column: its header, sample values and the field it goes into. Memoized: progress
 * updates of a running import re-render the panel many times a second and must not re-render this. */
export const ColumnMappingTable = memo(function ColumnMappingTable({
  labelledBy,
  csv,
  entity,
  preset,
  mapping,
  duplicates,
  disabled,
  onChange,
}: ColumnMappingTableProps) {
  return (
    <ScrollingTable labelledBy={labelledBy} maxHeight={360} columns={columns}>
      {csv.headers.map((header) => {
        const field = mapping[header] ?? null;
        const reason = field === null ? notImportedReason(preset, header) : null;
        return (
          <TableRow key={header}>
            <TableCell>{header}</TableCell>
            <TableCell
              sx={{
                color: 'text.secondary',
                maxWidth: 280,
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                whiteSpace: 'nowrap',
              }}
            >
              {csv.rows
                .slice(0, SAMPLE_ROWS)
                .map((row) => row[header] ?? '')
                .filter((value) => value !== '')
                .join(' · ')}
            </TableCell>
            <TableCell>
              <Select
                size="small"
                value={field ?? ''}
                displayEmpty
                disabled={disabled}
                inputProps={{ 'aria-label': `Field for column ${header}` }}
                error={field !== null && duplicates.includes(field)}
                onChange={(event) => onChange(header, event.target.value === '' ? null : event.target.value)}
                sx={{ minWidth: 200 }}
              >
                <MenuItem value="">
                  <em>Don’t import</em>
                </MenuItem>
                {importFields[entity].map((candidate) => (
                  <MenuItem key={candidate.key} value={candidate.key}>
                    {candidate.label}
                  </MenuItem>
                ))}
              </Select>
              {reason && (
                <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, maxWidth: 360 }}>
                  Not imported: {reason}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        );
      })}
    </ScrollingTable>
  );
});
