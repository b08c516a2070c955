import ArrowDropDownIcon from '@mui/icons-material/ArrowDropDown';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { FieldCatalogue, FieldSpec } from '@shared/schemas';
import type { BulkPatch } from '@shared/sync';
import { useState } from 'react';
import type { BulkActions } from '../hooks/useBulkActions';
import { useOptionResolver } from '../hooks/useOptionResolver';

/** The fields a bulk action sets, in the order of their buttons. */
const BULK_FIELDS = ['assignedTo', 'status', 'departmentId'] as const satisfies readonly (keyof BulkPatch)[];

export type BulkActionBarProps = {
  catalogue: FieldCatalogue<Record<string, unknown>>;
  /** How many records are selected. */
  count: number;
  /** All records matching the search and filters are selected (not only the loaded ones). */
  allMatching: boolean;
  /** Offered when every loaded row is selected and more match: "Select all 5,204 matching". */
  matchingTotal: number | null;
  onSelectAllMatching: () => void;
  onClear: () => void;
  /** The selected ids (resolved at the time of the action, for "all matching"). */
  resolveIds: () => Promise<string[]>;
  actions: BulkActions;
};

/**
 * The toolbar over a record list while rows are selected: assign, set status, set department, export,
 * delete (undoable), with progress and cancel for large selections and the refused records in words.
 */
export function BulkActionBar(props: BulkActionBarProps) {
  const { actions, catalogue } = props;
  const optionsOf = useOptionResolver();
  const [menu, setMenu] = useState<{ field: (typeof BULK_FIELDS)[number]; anchor: HTMLElement } | null>(null);
  const busy = actions.running !== null;
  const selected = props.allMatching
    ? `All ${props.count.toLocaleString()} matching selected`
    : `${props.count.toLocaleString()} selected`;

  const run = async (field: (typeof BULK_FIELDS)[number], value: string | null, label: string) => {
    setMenu(null);
    const ids = await props.resolveIds();
    const spec = catalogue[field] as FieldSpec;
    await actions.patch(ids, { [field]: value } as BulkPatch, `Setting ${spec.label} to ${label}`);
  };

  const menuSpec = menu ? (catalogue[menu.field] as FieldSpec) : null;
  const menuOptions = menuSpec?.options
    ? [
        ...(menuSpec.emptyOption
          ? [{ value: menuSpec.nullable ? null : '', label: menuSpec.emptyOption }]
          : []),
        ...optionsOf(menuSpec.options),
      ]
    : [];

  return (
    <Paper variant="outlined" role="toolbar" aria-label="Selected records" sx={{ mb: 1.5, px: 2, py: 1 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1 }}>
        <Typography component="p" sx={{ fontWeight: 600, mr: 1 }} role="status">
          {selected}
        </Typography>
        {!props.allMatching && props.matchingTotal !== null && props.matchingTotal > props.count && (
          <Button size="small" onClick={props.onSelectAllMatching} disabled={busy}>
            {`Select all ${props.matchingTotal.toLocaleString()} matching`}
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        {BULK_FIELDS.filter((field) => catalogue[field] !== undefined).map((field) => (
          <Button
            key={field}
            size="small"
            variant="outlined"
            disabled={busy}
            endIcon={<ArrowDropDownIcon aria-hidden />}
            aria-haspopup="menu"
            onClick={(event) => setMenu({ field, anchor: event.currentTarget })}
          >
            {`Set ${(catalogue[field] as FieldSpec).label.toLowerCase()}`}
          </Button>
        ))}
        <Button
          size="small"
          variant="outlined"
          disabled={busy}
          onClick={async () => actions.exportCsv(await props.resolveIds())}
        >
          Export selected
        </Button>
        <Button
          size="small"
          variant="outlined"
          color="error"
          disabled={busy}
          onClick={async () => {
            actions.remove(await props.resolveIds());
            props.onClear();
          }}
        >
          Delete selected
        </Button>
        <Button size="small" onClick={props.onClear} disabled={busy}>
          Clear selection
        </Button>
      </Box>
      <Menu open={menu !== null} anchorEl={menu?.anchor} onClose={() => setMenu(null)}>
        {menu &&
          menuOptions.map((option) => (
            <MenuItem key={option.value ?? ''} onClick={() => run(menu.field, option.value, option.label)}>
              {option.label}
            </MenuItem>
          ))}
      </Menu>
      {actions.running && (
        <Box sx={{ mt: 1 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <Typography variant="body2" sx={{ flex: 1 }} role="status">
              {`${actions.running.what}: ${actions.running.progress.done.toLocaleString()} of ${actions.running.progress.total.toLocaleString()}`}
            </Typography>
            <Button size="small" onClick={actions.cancel}>
              Cancel
            </Button>
          </Box>
          <LinearProgress
            variant="determinate"
            aria-label={actions.running.what}
            value={
              actions.running.progress.total === 0
                ? 100
                : (100 * actions.running.progress.done) / actions.running.progress.total
            }
          />
        </Box>
      )}
      {actions.failures.length > 0 && (
        <Alert severity="warning" sx={{ mt: 1 }} onClose={actions.dismissFailures}>
          <Typography variant="body2">{`Not changed (fix them one by one, then try again):`}</Typography>
          <Box component="ul" sx={{ m: 0, pl: 2, maxHeight: 160, overflowY: 'auto' }}>
            {actions.failures.map((failure) => (
              <li key={failure.id}>{`${failure.name || failure.id}: ${failure.message}`}</li>
            ))}
          </Box>
        </Alert>
      )}
    </Paper>
  );
}
