import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useOptionResolver } from '../hooks/useOptionResolver';
import type { FieldDefinition } from '../types/FieldDefinition';

/** Read-only view of a record's fields as a description list, labels from the same metadata as the form. */
export function RecordFieldList({
  fields,
  record,
}: {
  fields: FieldDefinition[];
  record: Record<string, unknown>;
}) {
  const optionsOf = useOptionResolver();
  const shown = (field: FieldDefinition): string => {
    const value = record[field.name];
    if (value === null || value === undefined || value === '') return '—';
    if (field.type === 'select' && (field.options === 'departments' || field.options === 'teamMembers')) {
      return optionsOf(field.options).find((option) => option.value === value)?.label ?? String(value);
    }
    if (typeof value === 'number') return value.toLocaleString();
    return String(value);
  };
  return (
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: '160px 1fr' },
        columnGap: 2,
        rowGap: 1,
        m: 0,
      }}
    >
      {fields.map((field) => (
        <Box key={field.name} sx={{ display: 'contents' }}>
          <Typography component="dt" color="text.secondary" variant="body2" sx={{ pt: 0.25 }}>
            {field.label}
          </Typography>
          <Typography component="dd" sx={{ m: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {shown(field)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
