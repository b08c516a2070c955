import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useDescribers } from '@renderer/modules/activity/hooks/useDescribers';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useRecord } from '@renderer/modules/object-record/hooks/useRecord';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formatDateTime } from '@renderer/modules/ui/utils/formatDateTime';
import {
  contactFieldCatalogue,
  type FieldCatalogue,
  type FieldChange,
  type FieldSpec,
  leadFieldCatalogue,
} from '@shared/schemas';
import {
  type DuplicateCollection,
  defaultMergeValues,
  defaultSurvivor,
  differingFields,
  dismissDuplicate,
  mergeableFields,
  mergeDuplicates,
} from '@shared/sync';
import { useEffect, useMemo, useState } from 'react';
import type { RxCollection } from 'rxdb';

type MergeRecord = Record<string, unknown> & {
  id: string;
  firstName: string;
  lastName: string;
  createdAt: number;
  updatedAt: number;
};

const catalogues = {
  contacts: contactFieldCatalogue as FieldCatalogue<Record<string, unknown>>,
  leads: leadFieldCatalogue as FieldCatalogue<Record<string, unknown>>,
};

export type CompareMergeDialogProps = {
  collection: DuplicateCollection;
  ids: readonly [string, string];
  onClose: () => void;
  /** After a merge, with the id of the record that stays. */
  onMerged?: (survivorId: string) => void;
};

/**
 * The two records side by side: one choice per field where they differ (default: the more recently updated
 * non-empty value) and which record stays (default: the older). "Not a duplicate" dismisses the pair for
 * the whole team.
 */
export function CompareMergeDialog({ collection, ids, onClose, onMerged }: CompareMergeDialogProps) {
  const db = useDatabase();
  // Values as the timeline shows them: department and team member names, money in the team currency.
  const describers = useDescribers();
  const shown = (field: string, value: unknown) =>
    describers.valueOf(field, (value ?? null) as FieldChange['before']) || '(empty)';
  const rx = db[collection] as unknown as RxCollection<MergeRecord>;
  const first = useRecord(rx, ids[0]).record;
  const second = useRecord(rx, ids[1]).record;
  const records = useMemo<[MergeRecord, MergeRecord] | null>(
    () => (first && second ? [first.toJSON() as MergeRecord, second.toJSON() as MergeRecord] : null),
    [first, second],
  );
  const fields = useMemo(
    () => (records ? differingFields(records[0], records[1], mergeableFields[collection]) : []),
    [records, collection],
  );
  const [choices, setChoices] = useState<Record<string, 0 | 1>>({});
  const [survivorIndex, setSurvivorIndex] = useState<0 | 1>(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Defaults once both records are loaded: they are the same on every device (docs/duplicates.md).
  useEffect(() => {
    if (!records) return;
    const [a, b] = records;
    const defaults = defaultMergeValues(a, b, mergeableFields[collection]);
    setChoices(
      Object.fromEntries(
        Object.entries(defaults).map(([field, value]) => [field, value === b[field] ? 1 : 0]),
      ),
    );
    setSurvivorIndex(defaultSurvivor(a, b) === a ? 0 : 1);
  }, [records, collection]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const merge = () =>
    run(async () => {
      if (!records) return;
      const survivor = records[survivorIndex];
      const other = records[survivorIndex === 0 ? 1 : 0];
      const values = Object.fromEntries(fields.map((field) => [field, records[choices[field] ?? 0][field]]));
      await mergeDuplicates(db, { collection, survivorId: survivor.id, otherId: other.id, values });
      onMerged?.(survivor.id);
      onClose();
    });

  const notDuplicate = () =>
    run(async () => {
      await dismissDuplicate(db, { collection, ids: [ids[0], ids[1]] });
      onClose();
    });

  const label = (field: string) => (catalogues[collection][field] as FieldSpec | undefined)?.label ?? field;

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="compare-merge-title">
      <DialogTitle id="compare-merge-title">Compare and merge</DialogTitle>
      <DialogContent>
        {!records ? (
          <Typography>One of the two records no longer exists.</Typography>
        ) : (
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <FormControl>
              <FormLabel id="merge-survivor-label">Record that stays</FormLabel>
              <RadioGroup
                row
                aria-labelledby="merge-survivor-label"
                value={String(survivorIndex)}
                onChange={(event) => setSurvivorIndex(event.target.value === '1' ? 1 : 0)}
              >
                {records.map((record, index) => (
                  <FormControlLabel
                    key={record.id}
                    value={String(index)}
                    control={<Radio />}
                    label={`${displayName(record)}, created ${formatDateTime(record.createdAt)}`}
                  />
                ))}
              </RadioGroup>
            </FormControl>
            {fields.length === 0 && <Typography>The two records hold the same values.</Typography>}
            {fields.map((field) => (
              <FormControl key={field}>
                <FormLabel id={`merge-field-${field}`}>{label(field)}</FormLabel>
                <RadioGroup
                  row
                  aria-labelledby={`merge-field-${field}`}
                  value={String(choices[field] ?? 0)}
                  onChange={(event) =>
                    setChoices((previous) => ({ ...previous, [field]: event.target.value === '1' ? 1 : 0 }))
                  }
                >
                  {records.map((record, index) => (
                    <FormControlLabel
                      key={record.id}
                      value={String(index)}
                      control={<Radio />}
                      label={shown(field, record[field])}
                    />
                  ))}
                </RadioGroup>
              </FormControl>
            ))}
          </Box>
        )}
        {error !== null && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {`Could not complete: ${error}`}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button onClick={notDuplicate} disabled={busy || !records}>
          Not a duplicate
        </Button>
        <Button variant="contained" onClick={merge} disabled={busy || !records}>
          Merge
        </Button>
      </DialogActions>
    </Dialog>
  );
}
