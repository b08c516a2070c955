import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { formSections } from '@shared/schemas';
import { isCrmValidationError } from '@shared/sync';
import { type FormEvent, Fragment, useId, useState } from 'react';
import { useOptionResolver } from '../hooks/useOptionResolver';
import type { FieldDefinition, FormValues } from '../types/FieldDefinition';
import { fromFormValues } from '../utils/formValues';

export type RecordFormProps = {
  /** Accessible name of the form, e.g. "New contact". */
  label: string;
  fields: FieldDefinition[];
  initialValues: FormValues;
  onSubmit: (values: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
};

/**
 * The one create/edit form of the app, driven by field metadata. The database layer is the validator:
 * a refused write comes back as CrmValidationError and each issue is shown next to its field.
 */
export function RecordForm({ label, fields, initialValues, onSubmit, onCancel }: RecordFormProps) {
  const [values, setValues] = useState(initialValues);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const optionsOf = useOptionResolver();
  const formErrorId = useId();

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setFormError(null);
    try {
      await onSubmit(fromFormValues(fields, values));
      setFieldErrors({});
    } catch (error) {
      if (isCrmValidationError(error)) {
        const known = new Set(fields.map((field) => field.name));
        const byField: Record<string, string> = {};
        const other: string[] = [];
        for (const issue of error.issues) {
          // emailKey is derived from email: show its problems on the field the user typed.
          const field = issue.field === 'emailKey' ? 'email' : issue.field;
          if (known.has(field)) byField[field] ??= issue.message;
          else other.push(`${issue.field}: ${issue.message}`);
        }
        setFieldErrors(byField);
        setFormError(other.length > 0 ? other.join('; ') : 'Please correct the highlighted fields.');
      } else {
        console.error('Save failed', error);
        setFieldErrors({});
        setFormError(`Could not save: ${errorMessage(error)}`);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box component="form" aria-label={label} noValidate onSubmit={handleSubmit}>
      {formError !== null && (
        <Alert id={formErrorId} severity="error" sx={{ mb: 2 }}>
          {formError}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
        {formSections.map((section) => {
          const inSection = fields.filter((field) => field.section === section);
          if (inSection.length === 0) return null;
          return (
            <Fragment key={section}>
              <Typography
                component="h2"
                variant="overline"
                color="text.secondary"
                sx={{ gridColumn: '1 / -1', lineHeight: 2, mb: -1 }}
              >
                {section}
              </Typography>
              {inSection.map((field) => {
                const error = fieldErrors[field.name];
                const common = {
                  id: `field-${field.name}`,
                  name: field.name,
                  label: field.label,
                  value: values[field.name] ?? '',
                  error: error !== undefined,
                  helperText: error ?? ' ',
                  autoFocus: field === fields[0],
                  onChange: (event: { target: { value: string } }) =>
                    setValues((previous) => ({ ...previous, [field.name]: event.target.value })),
                };
                if (field.type === 'select') {
                  const options = optionsOf(field.options ?? []);
                  return (
                    <TextField
                      key={field.name}
                      {...common}
                      select
                      slotProps={{
                        select: { native: true },
                        inputLabel: { shrink: true },
                        htmlInput: { 'aria-required': field.required },
                      }}
                    >
                      {field.emptyOption !== undefined && <option value="">{field.emptyOption}</option>}
                      {options.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                      {/* Keep a stored value visible even if its option is gone (e.g. a deleted department). */}
                      {common.value !== '' && !options.some((option) => option.value === common.value) && (
                        <option value={common.value}>{`Unknown (${common.value})`}</option>
                      )}
                    </TextField>
                  );
                }
                return (
                  <TextField
                    key={field.name}
                    {...common}
                    type={
                      field.type === 'multiline' ? undefined : field.type === 'number' ? 'text' : field.type
                    }
                    multiline={field.type === 'multiline'}
                    minRows={field.type === 'multiline' ? 3 : undefined}
                    sx={field.type === 'multiline' ? { gridColumn: '1 / -1' } : undefined}
                    slotProps={{
                      htmlInput: {
                        'aria-required': field.required,
                        inputMode: field.type === 'number' ? 'decimal' : undefined,
                      },
                    }}
                  />
                );
              })}
            </Fragment>
          );
        })}
      </Box>
      <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end', mt: 2 }}>
        <Button onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" variant="contained" disabled={saving}>
          Save
        </Button>
      </Box>
    </Box>
  );
}
