import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { escapeRegex } from '@renderer/modules/object-record/utils/buildRecordQuery';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import { useDebouncedValue } from '@renderer/modules/ui/hooks/useDebouncedValue';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { Contact } from '@shared/schemas';
import { isCrmValidationError, linkLeadToContact } from '@shared/sync';
import { useMemo, useState } from 'react';

const SUGGESTIONS = 20;

/** R11: link a lead without a contact to an existing contact that has no lead yet. */
export function LinkLeadToContact({ leadId }: { leadId: string }) {
  const db = useDatabase();
  const [input, setInput] = useState('');
  const [selected, setSelected] = useState<Contact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [linking, setLinking] = useState(false);
  const search = useDebouncedValue(input, 150).trim();

  const candidates$ = useMemo(() => {
    const pattern = escapeRegex(search);
    return db.contacts.find({
      selector: {
        leadId: '',
        ...(search === ''
          ? {}
          : {
              $or: ['firstName', 'lastName', 'email', 'company'].map((field) => ({
                [field]: { $regex: pattern, $options: 'i' },
              })),
            }),
      },
      sort: [{ lastName: 'asc' }, { firstName: 'asc' }],
      limit: SUGGESTIONS,
    }).$;
  }, [db, search]);
  const candidates = useObservable(candidates$ as never, [] as Contact[]);

  const link = async () => {
    if (selected === null) return;
    setLinking(true);
    setError(null);
    try {
      await linkLeadToContact(db, leadId, selected.id);
    } catch (linkError) {
      setError(
        isCrmValidationError(linkError)
          ? linkError.issues.map((issue) => issue.message).join(' ')
          : errorMessage(linkError),
      );
    } finally {
      setLinking(false);
    }
  };

  return (
    <Box component="section" aria-label="Link to a contact">
      <Typography variant="body2" color="text.secondary" component="h2" sx={{ mb: 1 }}>
        This lead has no contact. Link it to an existing contact that has no lead yet:
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <Autocomplete
          sx={{ flex: '1 1 280px', maxWidth: 480 }}
          options={candidates.value}
          value={selected}
          onChange={(_event, value) => setSelected(value)}
          inputValue={input}
          onInputChange={(_event, value) => setInput(value)}
          filterOptions={(options) => options}
          getOptionLabel={(contact) =>
            [displayName(contact), contact.email, contact.company].filter((part) => part !== '').join(' · ')
          }
          isOptionEqualToValue={(option, value) => option.id === value.id}
          loading={!candidates.ready}
          noOptionsText="No unlinked contact matches"
          renderInput={(params) => <TextField {...params} label="Contact to link" />}
        />
        <Button variant="contained" onClick={link} disabled={selected === null || linking}>
          Link contact
        </Button>
      </Box>
      {error !== null && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      )}
    </Box>
  );
}
