import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { DuplicateBanner } from '@renderer/modules/duplicates/components/DuplicateBanner';
import { useUndoableDelete } from '@renderer/modules/feedback/hooks/useUndoableDelete';
import { PendingMark } from '@renderer/modules/sync/components/PendingMark';
import { usePendingIds } from '@renderer/modules/sync/hooks/usePendingIds';
import { EmptyState } from '@renderer/modules/ui/components/EmptyState';
import { StatusChip } from '@renderer/modules/ui/components/StatusChip';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { ContactStatus, LeadStatus } from '@shared/schemas';
import { type ReactNode, useState } from 'react';
import { useNavigate } from 'react-router';
import type { RxCollection, RxDocument } from 'rxdb';
import { useRecord } from '../hooks/useRecord';
import { displayName } from '../utils/displayName';
import { DeleteRecordButton } from './DeleteRecordButton';
import { RecordDetailHeader } from './RecordDetailHeader';

type DetailRecord = {
  id: string;
  firstName: string;
  lastName?: string | null;
  status: ContactStatus | LeadStatus;
};

/** Everything that makes a detail page "the contact page" or "the lead page". */
export type RecordDetailConfig<T extends DetailRecord> = {
  collection: 'contacts' | 'leads';
  /** Singular noun for texts ("contact"). */
  noun: string;
  /** Plural noun for texts ("contacts"). */
  pluralNoun: string;
  listPath: string;
  /** The collection the record links to, and the field holding that id ('' when unlinked). */
  linkedCollection: 'contacts' | 'leads';
  linkField: keyof T & string;
  deleteMessage: string;
  /** Used instead when the record is linked, to say what happens to the other side. */
  deleteLinkedMessage: string;
};

export type RecordDetailProps<T extends DetailRecord, L extends DetailRecord> = {
  config: RecordDetailConfig<T>;
  id: string;
  /** The entity's own sections, below the header and the action error. */
  children: (
    record: RxDocument<T>,
    linked: RxDocument<L> | null,
    reportError: (message: string) => void,
  ) => ReactNode;
};

export function RecordDetail<T extends DetailRecord, L extends DetailRecord>({
  config,
  id,
  children,
}: RecordDetailProps<T, L>) {
  const db = useDatabase();
  const navigate = useNavigate();
  const { record, ready, error } = useRecord(db[config.collection] as unknown as RxCollection<T>, id);
  const linkedId = record ? (record.get(config.linkField) as string) : '';
  const { record: linked } = useRecord(
    db[config.linkedCollection] as unknown as RxCollection<L>,
    linkedId || null,
  );
  const pending = usePendingIds(config.collection).has(id);
  const [actionError, setActionError] = useState<string | null>(null);
  const { hidden, deleteWithUndo } = useUndoableDelete();
  const capitalNoun = `${config.noun.charAt(0).toUpperCase()}${config.noun.slice(1)}`;

  if (error !== null)
    return <Alert severity="error">{`Could not load the ${config.noun}: ${errorMessage(error)}`}</Alert>;
  if (!ready) return null;
  if (record === null || hidden.has(id)) {
    return (
      <EmptyState
        title={`${capitalNoun} not found`}
        hint="It may have been deleted, here or on another device. Go back to the list to find another one."
        action={<Button onClick={() => navigate(config.listPath)}>{`Back to ${config.pluralNoun}`}</Button>}
      />
    );
  }

  return (
    <Box sx={{ overflowY: 'auto' }}>
      <RecordDetailHeader
        title={displayName(record)}
        backTo={config.listPath}
        backLabel={`Back to ${config.pluralNoun}`}
        badges={
          <>
            <StatusChip status={record.status} />
            {pending && <PendingMark />}
          </>
        }
        actions={
          <>
            <Button
              variant="contained"
              onClick={() => navigate(`${config.listPath}/${encodeURIComponent(id)}/edit`)}
            >
              Edit
            </Button>
            <DeleteRecordButton
              label={`Delete ${config.noun}`}
              message={linkedId ? config.deleteLinkedMessage : config.deleteMessage}
              onDelete={async () => {
                const name = displayName(record);
                deleteWithUndo({
                  ids: [id],
                  message: `Deleted ${config.noun} ${name}`,
                  failureMessage: `Could not delete ${config.noun} ${name}`,
                  // The latest state: the record may have changed (e.g. by sync) during the undo window.
                  remove: async () => {
                    const latest = await db[config.collection].findOne(id).exec();
                    await latest?.remove();
                  },
                });
                navigate(config.listPath);
              }}
              onError={(removeError) => setActionError(`Could not delete: ${errorMessage(removeError)}`)}
            />
          </>
        }
      />
      {actionError !== null && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {actionError}
        </Alert>
      )}
      <DuplicateBanner collection={config.collection} id={id} />
      {children(record, linked, setActionError)}
    </Box>
  );
}
