import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useNotify } from '@renderer/modules/feedback/hooks/useNotify';
import { EmptyState } from '@renderer/modules/ui/components/EmptyState';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { useNavigate } from 'react-router';
import type { RxCollection } from 'rxdb';
import { v7 as uuidv7 } from 'uuid';
import { useRecord } from '../hooks/useRecord';
import type { FieldDefinition } from '../types/FieldDefinition';
import { displayName } from '../utils/displayName';
import { fromFormValues, toFormValues } from '../utils/formValues';
import { RecordForm } from './RecordForm';

export type RecordEditorProps = {
  collection: 'contacts' | 'leads';
  fields: FieldDefinition[];
  /** null: create a new record. */
  id: string | null;
  /** "contact" / "lead". */
  noun: string;
  /** Values a new record starts with (e.g. status). */
  newDefaults: Record<string, unknown>;
  detailPath: (id: string) => string;
  listPath: string;
};

function nameOf(values: Record<string, unknown>): string {
  return displayName({ firstName: String(values.firstName ?? ''), lastName: String(values.lastName ?? '') });
}

/** Create or edit a record; the database layer fills managed fields, runs the rules and validates. */
export function RecordEditor({
  collection,
  fields,
  id,
  noun,
  newDefaults,
  detailPath,
  listPath,
}: RecordEditorProps) {
  const db = useDatabase();
  const navigate = useNavigate();
  const notify = useNotify();
  const rxCollection = db[collection] as unknown as RxCollection<Record<string, unknown>>;
  const { record, ready, error } = useRecord(rxCollection, id);

  if (error !== null)
    return <Alert severity="error">{`Could not load the ${noun}: ${errorMessage(error)}`}</Alert>;
  if (!ready) return null;
  if (id !== null && record === null) {
    return (
      <EmptyState
        title={`This ${noun} no longer exists`}
        hint="It may have been deleted on another device. Go back to the list."
      />
    );
  }
  const title = id === null ? `New ${noun}` : `Edit ${noun}`;
  const initialValues = toFormValues(
    fields,
    id === null ? newDefaults : (record?.toJSON() as Record<string, unknown>),
  );
  const initialRecord = fromFormValues(fields, initialValues);

  return (
    <Box sx={{ overflowY: 'auto' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
        {title}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2, maxWidth: 900 }}>
        <RecordForm
          key={id ?? 'new'}
          label={title}
          fields={fields}
          initialValues={initialValues}
          onCancel={() => navigate(id === null ? listPath : detailPath(id))}
          onSubmit={async (values) => {
            if (id === null) {
              const newId = uuidv7();
              await rxCollection.insert({ ...values, id: newId });
              notify({ message: `Created ${noun} ${nameOf(values)}` });
              navigate(detailPath(newId));
            } else {
              // Write only what the user changed: a field another device or a rule changed while the form
              // was open keeps that newer value instead of being overwritten by the form's stale copy.
              const changed = Object.fromEntries(
                Object.entries(values).filter(([name, value]) => !Object.is(value, initialRecord[name])),
              );
              const current = await rxCollection.findOne(id).exec();
              if (current === null) throw new Error(`This ${noun} was deleted meanwhile.`);
              if (Object.keys(changed).length > 0) {
                await current.incrementalPatch(changed);
                notify({ message: `Saved ${noun} ${nameOf(values)}` });
              }
              navigate(detailPath(id));
            }
          }}
        />
      </Paper>
    </Box>
  );
}
