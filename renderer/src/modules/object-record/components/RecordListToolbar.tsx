import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import type { ReactNode } from 'react';
import { useOptionResolver } from '../hooks/useOptionResolver';
import type { FilterDefinition } from '../types/FilterDefinition';

export type RecordListToolbarProps = {
  searchLabel: string;
  search: string;
  onSearchChange: (search: string) => void;
  filterDefinitions: FilterDefinition[];
  filters: Record<string, string>;
  onFilterChange: (field: string, value: string) => void;
  actions: ReactNode;
};

export function RecordListToolbar(props: RecordListToolbarProps) {
  const optionsOf = useOptionResolver();
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center', mb: 2 }}>
      <TextField
        type="search"
        label={props.searchLabel}
        value={props.search}
        onChange={(event) => props.onSearchChange(event.target.value)}
        sx={{ flex: '1 1 260px', maxWidth: 420 }}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon aria-hidden />
              </InputAdornment>
            ),
          },
        }}
      />
      {props.filterDefinitions.map((filter) => (
        <TextField
          key={filter.field}
          select
          label={filter.label}
          value={props.filters[filter.field] ?? ''}
          onChange={(event) => props.onFilterChange(filter.field, event.target.value)}
          sx={{ width: 170 }}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        >
          <option value="">{filter.anyLabel}</option>
          {optionsOf(filter.options).map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </TextField>
      ))}
      <Box sx={{ flex: 1 }} />
      {props.actions}
    </Box>
  );
}
