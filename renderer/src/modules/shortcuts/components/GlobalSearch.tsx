import Dialog from '@mui/material/Dialog';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import type { Contact, Lead } from '@shared/schemas';
import { searchIndexOf } from '@shared/sync/search/search-index';
import type { SearchableCollection } from '@shared/sync/search/search-tokens';
import { type KeyboardEvent, useDeferredValue, useId, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { from, type Observable, of } from 'rxjs';

/** Results per kind of record: enough to pick from, few enough to read. */
const RESULTS_PER_KIND = 6;

type Result = { collection: SearchableCollection; id: string; title: string; detail: string; path: string };

const kinds: { collection: SearchableCollection; heading: string }[] = [
  { collection: 'contacts', heading: 'Contacts' },
  { collection: 'leads', heading: 'Leads' },
];

async function searchEverywhere(db: ReturnType<typeof useDatabase>, text: string): Promise<Result[]> {
  const index = searchIndexOf(db);
  const results = await Promise.all(
    kinds.map(async ({ collection }) => {
      const { ids } = await index.search(collection, text, RESULTS_PER_KIND);
      const found = await db[collection].findByIds(ids.slice(0, RESULTS_PER_KIND)).exec();
      return ids.flatMap((id): Result[] => {
        const record = found.get(id)?.toJSON() as (Contact | Lead) | undefined;
        if (!record) return [];
        const detail = [record.company, record.email, record.status].filter(Boolean).join(' · ');
        return [
          {
            collection,
            id,
            title: displayName(record),
            detail,
            path: `/${collection}/${encodeURIComponent(id)}`,
          },
        ];
      });
    }),
  );
  return results.flat();
}

/**
 * Ctrl/Cmd-K: one search over contacts and leads, ranked by the search index; arrow keys move through the
 * results (the input keeps focus, aria-activedescendant names the current one), Enter opens it.
 */
export function GlobalSearch({ open, onClose }: { open: boolean; onClose: () => void }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  // Searched at once from the search index; the results follow the box in an interruptible render.
  const searched = useDeferredValue(text);
  const listId = useId();
  const results$ = useMemo(
    (): Observable<Result[]> => (searched.trim() === '' ? of([]) : from(searchEverywhere(db, searched))),
    [db, searched],
  );
  const { value: results, error } = useObservable(results$, []);
  const current = Math.min(active, Math.max(0, results.length - 1));

  const close = () => {
    setText('');
    setActive(0);
    onClose();
  };
  const openResult = (result: Result | undefined) => {
    if (!result) return;
    close();
    navigate(result.path);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive(Math.min(results.length - 1, current + 1));
    else if (event.key === 'ArrowUp') setActive(Math.max(0, current - 1));
    else if (event.key === 'Enter') openResult(results[current]);
    else return;
    event.preventDefault();
  };
  const optionId = (index: number) => `${listId}-option-${index}`;

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      // The dialog role sits on the paper: its name goes there (on the Dialog it named nothing).
      slotProps={{ paper: { 'aria-label': 'Search everywhere' } }}
    >
      <TextField
        autoFocus
        fullWidth
        placeholder="Search contacts and leads by name, email, company or phone"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        slotProps={{
          htmlInput: {
            'aria-label': 'Search everywhere',
            role: 'combobox',
            'aria-expanded': results.length > 0,
            'aria-controls': listId,
            'aria-autocomplete': 'list',
            'aria-activedescendant': results.length > 0 ? optionId(current) : undefined,
          },
        }}
        sx={{ p: 2 }}
      />
      {error !== null && (
        <Typography role="alert" color="error" sx={{ px: 3, pb: 2 }}>
          Search is not available right now. Try again in a moment.
        </Typography>
      )}
      {searched.trim() !== '' && results.length === 0 && error === null && (
        <Typography sx={{ px: 3, pb: 2 }} color="text.secondary">
          Nothing found for “{searched.trim()}”.
        </Typography>
      )}
      <List id={listId} role="listbox" aria-label="Results" dense sx={{ pt: 0 }}>
        {kinds.map(({ collection, heading }) => {
          const inKind = results
            .map((result, index) => ({ result, index }))
            .filter(({ result }) => result.collection === collection);
          if (inKind.length === 0) return null;
          return [
            <ListSubheader key={`${collection}-heading`} role="presentation">
              {heading}
            </ListSubheader>,
            ...inKind.map(({ result, index }) => (
              <ListItemButton
                key={`${collection}-${result.id}`}
                id={optionId(index)}
                role="option"
                aria-selected={index === current}
                selected={index === current}
                tabIndex={-1}
                onClick={() => openResult(result)}
                onMouseMove={() => setActive(index)}
              >
                <ListItemText primary={result.title} secondary={result.detail} />
              </ListItemButton>
            )),
          ];
        })}
      </List>
    </Dialog>
  );
}
