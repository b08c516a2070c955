import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useRecord } from '@renderer/modules/object-record/hooks/useRecord';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import type { ListedDuplicatePair } from '@shared/sync';
import { useState } from 'react';
import type { RxCollection } from 'rxdb';
import { CompareMergeDialog } from './CompareMergeDialog';
import { reasonLabels } from './duplicateText';

type Named = { firstName: string; lastName: string };

/** One row per pair: both names, why they look alike, and Compare. */
export function DuplicatePairList({ pairs }: { pairs: ListedDuplicatePair[] }) {
  return (
    <List aria-label="Possible duplicates">
      {pairs.map((pair) => (
        <PairRow key={pair.id} pair={pair} />
      ))}
    </List>
  );
}

function PairRow({ pair }: { pair: ListedDuplicatePair }) {
  const db = useDatabase();
  const collection = db[pair.collection] as unknown as RxCollection<Named>;
  const first = useRecord(collection, pair.ids[0]).record;
  const second = useRecord(collection, pair.ids[1]).record;
  const [comparing, setComparing] = useState(false);
  if (!first || !second) return null;
  const names = `${displayName(first)} and ${displayName(second)}`;
  return (
    <ListItem
      divider
      secondaryAction={
        <Button
          variant="outlined"
          size="small"
          aria-label={`Compare ${names}`}
          onClick={() => setComparing(true)}
        >
          Compare
        </Button>
      }
    >
      <ListItemText
        primary={names}
        secondary={
          <Stack direction="row" spacing={1} component="span" sx={{ mt: 0.5 }}>
            <Chip
              component="span"
              size="small"
              label={pair.collection === 'contacts' ? 'Contacts' : 'Leads'}
            />
            {pair.reasons.map((reason) => (
              <Chip
                component="span"
                key={reason}
                size="small"
                variant="outlined"
                color={reason === 'same-email' ? 'warning' : 'default'}
                label={reasonLabels[reason]}
              />
            ))}
          </Stack>
        }
        slotProps={{ secondary: { component: 'span' } }}
      />
      {comparing && (
        <CompareMergeDialog collection={pair.collection} ids={pair.ids} onClose={() => setComparing(false)} />
      )}
    </ListItem>
  );
}
