import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useNotify } from '@renderer/modules/feedback/hooks/useNotify';
import { useAssigneeOptions } from '@renderer/modules/team/hooks/useTeamMembers';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { type WorkKind, workKinds } from '@shared/schemas';
import { isCrmValidationError, logWork } from '@shared/sync';
import { useState } from 'react';
import { kindPresentation } from '../utils/kindPresentation';

type Target = { contactId: string; leadId?: undefined } | { leadId: string; contactId?: undefined };

/** `<input type="datetime-local">` value ↔ epoch ms, in local time. */
function fromLocalInput(value: string): number {
  return value === '' ? 0 : new Date(value).getTime();
}

/**
 * Logs a call, meeting or note on a contact or lead, or plans one (or a task) with a due date and time.
 * The database layer validates; its field issues show next to the fields.
 */
export function WorkComposer({ target }: { target: Target }) {
  const db = useDatabase();
  const notify = useNotify();
  const assignees = useAssigneeOptions();
  const [kind, setKind] = useState<WorkKind>('call');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [due, setDue] = useState('');
  const [assignedTo, setAssignedTo] = useState(db.crm.userId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const isNote = kind === 'note';
  const noun = kindPresentation[kind].label.toLowerCase();

  const save = async (done: boolean) => {
    setSaving(true);
    setFormError(null);
    try {
      await logWork(db, {
        kind,
        subject,
        body,
        dueAt: fromLocalInput(due),
        done,
        assignedTo,
        ...target,
      });
      setErrors({});
      setSubject('');
      setBody('');
      setDue('');
      notify({
        message: isNote
          ? 'Note added'
          : done
            ? `${kindPresentation[kind].label} logged`
            : `${kindPresentation[kind].label} planned`,
      });
    } catch (error) {
      if (isCrmValidationError(error)) {
        setErrors(Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message])));
      } else {
        console.error('Could not save the activity', error);
        setFormError(`Could not save the ${noun}: ${errorMessage(error)}`);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box
      component="form"
      aria-label="Log or plan an activity"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save(isNote);
      }}
      sx={{ display: 'grid', gap: 1.5 }}
    >
      <ToggleButtonGroup
        exclusive
        size="small"
        value={kind}
        aria-label="Kind of activity"
        onChange={(_event, value: WorkKind | null) => {
          if (value) setKind(value);
          setErrors({});
        }}
      >
        {workKinds.map((workKind) => {
          const { label, Icon } = kindPresentation[workKind];
          return (
            <ToggleButton key={workKind} value={workKind} sx={{ gap: 0.5, px: 1.5 }}>
              <Icon fontSize="small" aria-hidden />
              {label}
            </ToggleButton>
          );
        })}
      </ToggleButtonGroup>
      {formError !== null && <Alert severity="error">{formError}</Alert>}
      {!isNote && (
        <TextField
          size="small"
          label="Subject"
          name="subject"
          value={subject}
          onChange={(event) => setSubject(event.target.value)}
          error={errors.subject !== undefined}
          helperText={errors.subject}
        />
      )}
      <TextField
        size="small"
        label={isNote ? 'Note' : 'Notes'}
        name="body"
        multiline
        minRows={isNote ? 3 : 1}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        error={errors.body !== undefined}
        helperText={errors.body}
      />
      {!isNote && (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 1.5 }}>
          <TextField
            size="small"
            label="Due"
            name="dueAt"
            type="datetime-local"
            value={due}
            onChange={(event) => setDue(event.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
            error={errors.dueAt !== undefined}
            helperText={errors.dueAt ?? 'Needed to plan it; a logged one may leave it empty'}
          />
          <TextField
            size="small"
            select
            label="Assigned to"
            name="assignedTo"
            value={assignedTo}
            onChange={(event) => setAssignedTo(event.target.value)}
          >
            {assignees.map((option) => (
              <MenuItem key={option.value} value={option.value}>
                {option.label}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      )}
      <Box sx={{ display: 'flex', gap: 1 }}>
        {isNote ? (
          <Button type="submit" variant="contained" disabled={saving}>
            Add note
          </Button>
        ) : (
          <>
            <Button variant="contained" disabled={saving} onClick={() => void save(false)}>
              {`Plan ${noun}`}
            </Button>
            <Button variant="outlined" disabled={saving} onClick={() => void save(true)}>
              {`Log ${noun} as done`}
            </Button>
          </>
        )}
      </Box>
    </Box>
  );
}
