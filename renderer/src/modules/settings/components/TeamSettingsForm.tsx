import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useNotify } from '@renderer/modules/feedback/hooks/useNotify';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { type LeadStatus, leadStatuses } from '@shared/schemas';
import { isCrmValidationError, saveTeamSettings } from '@shared/sync';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTeamSettings } from '../hooks/useTeamSettings';

type Draft = { currency: string; probabilities: Record<LeadStatus, string> };

const currencyNames = new Intl.DisplayNames(undefined, { type: 'currency' });

/** The team's currency (ISO 4217) and each stage's win probability; synced to every device of the team. */
export function TeamSettingsForm() {
  const db = useDatabase();
  const notify = useNotify();
  const settings = useTeamSettings();
  const toDraft = (): Draft => ({
    currency: settings.currency,
    probabilities: Object.fromEntries(
      leadStatuses.map((status) => [status, String(settings.stageProbabilities[status])]),
    ) as Record<LeadStatus, string>,
  });
  const [draft, setDraft] = useState<Draft>(toDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Another device's save arrives by sync: show it (the form has no unsaved edits then, or they are overwritten).
  // biome-ignore lint/correctness/useExhaustiveDependencies: toDraft reads settings, the one dependency.
  useEffect(() => setDraft(toDraft()), [settings]);
  const currencies = useMemo(() => Intl.supportedValuesOf('currency'), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setFormError(null);
    try {
      await saveTeamSettings(db, {
        currency: draft.currency,
        stageProbabilities: Object.fromEntries(
          leadStatuses.map((status) => [status, Number(draft.probabilities[status])]),
        ) as Record<LeadStatus, number>,
      });
      setErrors({});
      notify({ message: 'Team settings saved; they reach the team with the next sync' });
    } catch (error) {
      if (isCrmValidationError(error)) {
        setErrors(Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message])));
      } else {
        console.error('Could not save the team settings', error);
        setFormError(`Could not save the team settings: ${errorMessage(error)}`);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box component="form" aria-label="Team settings" noValidate onSubmit={submit}>
      <Typography variant="h6" component="h2" gutterBottom>
        Money
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Deal values are shown in the team's currency. Each stage's probability weighs the pipeline's expected
        totals. Shared with the whole team.
      </Typography>
      {formError !== null && (
        <Alert severity="error" sx={{ mb: 2, maxWidth: 560 }}>
          {formError}
        </Alert>
      )}
      <Autocomplete
        options={currencies}
        value={draft.currency}
        disableClearable
        onChange={(_event, value) => setDraft((previous) => ({ ...previous, currency: value }))}
        getOptionLabel={(code) => `${code} – ${currencyNames.of(code) ?? code}`}
        sx={{ maxWidth: 360, mb: 2 }}
        renderInput={(params) => (
          <TextField
            {...params}
            label="Team currency"
            name="currency"
            error={errors.currency !== undefined}
            helperText={errors.currency ?? 'ISO 4217 code, e.g. EUR'}
          />
        )}
      />
      <Box
        role="group"
        aria-label="Win probability per stage"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(120px, 1fr))',
          gap: 2,
          maxWidth: 720,
        }}
      >
        {leadStatuses.map((status) => {
          const error = errors[`stageProbabilities.${status}`];
          return (
            <TextField
              key={status}
              label={`${status} probability`}
              name={`probability-${status}`}
              type="number"
              value={draft.probabilities[status]}
              onChange={(event) =>
                setDraft((previous) => ({
                  ...previous,
                  probabilities: { ...previous.probabilities, [status]: event.target.value },
                }))
              }
              error={error !== undefined}
              helperText={error ?? ' '}
              slotProps={{
                htmlInput: { min: 0, max: 100, step: 1 },
                input: { endAdornment: <InputAdornment position="end">%</InputAdornment> },
              }}
            />
          );
        })}
      </Box>
      <Button type="submit" variant="contained" disabled={saving} sx={{ mt: 1 }}>
        Save team settings
      </Button>
    </Box>
  );
}
