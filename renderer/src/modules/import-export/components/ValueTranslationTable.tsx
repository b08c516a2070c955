import { MenuItem, Select, Stack, TableCell, TableRow, Typography } from '@mui/material';
import { memo } from 'react';
import type { ImportEntity } from '../utils/importFields';
import type { ImportLookups } from '../utils/translation';
import { type TranslatedColumn, type Translations, targetOptions } from '../utils/translation';
import { ScrollingTable } from './ScrollingTable';

/** Values listed per column; a column with more is most likely mapped to the wrong field. */
const MAX_VALUES = 200;
const tableColumns = [{ label: 'Value in file' }, { label: 'Rows', width: 90 }, { label: 'Becomes' }];

type ValueTranslationTableProps = {
  entity: ImportEntity;
  columns: readonly TranslatedColumn[];
  translations: Translations;
  lookups: ImportLookups;
  disabled: boolean;
  onChange: (fieldKey: string, valueKey: string, target: string) => void;
};

/**
 * The value translation step: for each mapped column with a fixed set of values (status, source,
 * priority, department, owner, won/lost), every distinct value of the file with its row count and what
 * it becomes here. Values without a choice are marked; the import waits until each has one.
 */
export const ValueTranslationTable = memo(function ValueTranslationTable({
  entity,
  columns,
  translations,
  lookups,
  disabled,
  onChange,
}: ValueTranslationTableProps) {
  return (
    <Stack spacing={2}>
      {columns.map((column) => {
        const headingId = `translate-${column.field.key}`;
        const chosen = translations[column.field.key] ?? {};
        return (
          <Stack key={column.field.key} spacing={1}>
            <Typography id={headingId} variant="subtitle2" component="h4">
              {column.field.label} — values of column “{column.header}”
            </Typography>
            {column.values.length > MAX_VALUES && (
              <Typography variant="body2" color="warning.main">
                This column has {column.values.length} different values; the first {MAX_VALUES} are listed. Is
                it mapped to the right field?
              </Typography>
            )}
            <ScrollingTable labelledBy={headingId} maxHeight={320} columns={tableColumns}>
              {column.values.slice(0, MAX_VALUES).map((value) => {
                const target = chosen[value.key] ?? '';
                const options = targetOptions(
                  column.field.kind,
                  entity,
                  lookups,
                  column.field.kind === 'department' ? [value.value] : [],
                );
                return (
                  <TableRow key={value.key}>
                    <TableCell>{value.value}</TableCell>
                    <TableCell>{value.count}</TableCell>
                    <TableCell>
                      <Select
                        size="small"
                        value={target}
                        displayEmpty
                        disabled={disabled}
                        error={target === ''}
                        inputProps={{
                          'aria-label': `${column.field.label} for “${value.value}”`,
                        }}
                        onChange={(event) => onChange(column.field.key, value.key, event.target.value)}
                        sx={{ minWidth: 260 }}
                      >
                        <MenuItem value="" disabled>
                          <em>Choose…</em>
                        </MenuItem>
                        {options.map((option) => (
                          <MenuItem key={option.value} value={option.value}>
                            {option.label}
                          </MenuItem>
                        ))}
                      </Select>
                    </TableCell>
                  </TableRow>
                );
              })}
            </ScrollingTable>
          </Stack>
        );
      })}
    </Stack>
  );
});
