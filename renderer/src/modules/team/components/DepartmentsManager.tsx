import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { isCrmValidationError } from '@shared/sync';
import { type FormEvent, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { useDepartments } from '../hooks/useDepartments';

/** The departments the "Department" selects offer; shared with the team through sync. */
export function DepartmentsManager() {
  const db = useDatabase();
  const departments = useDepartments();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setNameError(null);
    const trimmed = name.trim();
    if (departments.value.some((department) => department.name.toLowerCase() === trimmed.toLowerCase())) {
      setNameError('A department with this name exists already');
      return;
    }
    try {
      await db.departments.insert({ id: uuidv7(), name: trimmed } as never);
      setName('');
    } catch (error) {
      setNameError(
        isCrmValidationError(error) ? (error.issues[0]?.message ?? error.message) : errorMessage(error),
      );
    }
  };

  return (
    <Box component="section" aria-labelledby="departments-heading">
      <Typography id="departments-heading" variant="h6" component="h2" gutterBottom>
        Departments
      </Typography>
      <Box
        component="form"
        aria-label="Add department"
        noValidate
        onSubmit={add}
        sx={{ display: 'flex', gap: 1, maxWidth: 560 }}
      >
        <TextField
          label="Department name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameError !== null}
          helperText={nameError ?? ' '}
        />
        <Button type="submit" variant="outlined" sx={{ height: 40, flexShrink: 0 }}>
          Add department
        </Button>
      </Box>
      {actionError !== null && (
        <Alert severity="error" sx={{ maxWidth: 560 }}>
          {actionError}
        </Alert>
      )}
      {departments.value.length === 0 ? (
        <Typography color="text.secondary">
          No departments yet. Add one to group contacts and leads.
        </Typography>
      ) : (
        <List dense sx={{ maxWidth: 560 }}>
          {departments.value.map((department) => (
            <ListItem
              key={department.id}
              secondaryAction={
                <IconButton
                  edge="end"
                  aria-label={`Delete department ${department.name}`}
                  onClick={() =>
                    db.departments
                      .findOne(department.id)
                      .exec()
                      .then((document) => document?.remove())
                      .catch((error: unknown) => setActionError(`Could not delete: ${errorMessage(error)}`))
                  }
                >
                  <DeleteOutline />
                </IconButton>
              }
            >
              <ListItemText primary={department.name} />
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}
