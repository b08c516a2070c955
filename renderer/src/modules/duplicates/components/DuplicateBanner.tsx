import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useRecord } from '@renderer/modules/object-record/hooks/useRecord';
import { displayName } from '@renderer/modules/object-record/utils/displayName';
import type { DuplicateCollection, ListedDuplicatePair } from '@shared/sync';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { RxCollection } from 'rxdb';
import { useDuplicatePairs } from '../hooks/useDuplicates';
import { CompareMergeDialog } from './CompareMergeDialog';

type Named = { firstName: string; lastName: string };

/** "Possible duplicate of Ada Lovelace — Compare" on a record that has one, once per pair. */
export function DuplicateBanner({ collection, id }: { collection: DuplicateCollection; id: string }) {
  const pairs = useDuplicatePairs().value.filter(
    (pair) => pair.collection === collection && pair.ids.includes(id),
  );
  return (
    <>
      {pairs.map((pair) => (
        <PairBanner key={pair.id} pair={pair} id={id} />
      ))}
    </>
  );
}

function PairBanner({ pair, id }: { pair: ListedDuplicatePair; id: string }) {
  const db = useDatabase();
  const navigate = useNavigate();
  const partnerId = pair.ids[0] === id ? pair.ids[1] : pair.ids[0];
  const partner = useRecord(db[pair.collection] as unknown as RxCollection<Named>, partnerId).record;
  const [comparing, setComparing] = useState(false);
  if (!partner) return null;
  return (
    <>
      <Alert
        severity={pair.certainty === 'certain' ? 'warning' : 'info'}
        sx={{ mb: 2 }}
        action={
          <Button color="inherit" size="small" onClick={() => setComparing(true)}>
            Compare
          </Button>
        }
      >
        {`Possible duplicate of ${displayName(partner)}`}
      </Alert>
      {comparing && (
        <CompareMergeDialog
          collection={pair.collection}
          ids={pair.ids}
          onClose={() => setComparing(false)}
          onMerged={(survivorId) => {
            if (survivorId !== id) navigate(`/${pair.collection}/${encodeURIComponent(survivorId)}`);
          }}
        />
      )}
    </>
  );
}
