import { fetchedAhead } from '@renderer/modules/app/utils/chunksAhead';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useNotify } from '@renderer/modules/feedback/hooks/useNotify';
import { useUndoableDelete } from '@renderer/modules/feedback/hooks/useUndoableDelete';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { Contact, Lead } from '@shared/schemas';
import {
  type BulkCollection,
  type BulkFailure,
  type BulkPatch,
  type BulkProgress,
  type BulkResult,
  patchInBulk,
  removeInBulk,
} from '@shared/sync/bulk-actions';
import { useCallback, useRef, useState } from 'react';

/** CSV export (papaparse, the import's lookups) is a chunk of its own: the list does not wait for it. */
const loadCsvExport = fetchedAhead(() => import('@renderer/modules/import-export/utils/exportCsv'));

export type BulkRun = {
  /** "Changing status" */
  what: string;
  progress: BulkProgress;
};

export type BulkActions = {
  /** The action running, with its progress; null when none runs. */
  running: BulkRun | null;
  /** Records refused by the last action, in words (shown until dismissed). */
  failures: BulkFailure[];
  dismissFailures: () => void;
  cancel: () => void;
  patch: (ids: readonly string[], patch: BulkPatch, what: string) => Promise<void>;
  exportCsv: (ids: readonly string[]) => Promise<void>;
  remove: (ids: readonly string[]) => void;
};

const plural = (count: number, noun: string) => `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The bulk actions of a record list: every change goes through the database layer (patchInBulk /
 * removeInBulk) so the link rules run for each record; progress for large selections, cancel between
 * chunks, a notification with the outcome, and the refused records listed by name with the reason.
 */
export function useBulkActions(collection: BulkCollection, noun: string): BulkActions {
  const db = useDatabase();
  const notify = useNotify();
  const { deleteWithUndo } = useUndoableDelete();
  const [running, setRunning] = useState<BulkRun | null>(null);
  const [failures, setFailures] = useState<BulkFailure[]>([]);
  const controller = useRef<AbortController | null>(null);

  const report = useCallback(
    (result: BulkResult, done: string) => {
      setFailures(result.failed);
      const parts = [`${done} ${plural(result.changed, noun)}`];
      if (result.unchanged > 0) parts.push(`${plural(result.unchanged, noun)} already had it`);
      if (result.failed.length > 0) parts.push(`${plural(result.failed.length, noun)} could not be changed`);
      const text = `${parts.join('; ')}${result.cancelled ? ' (cancelled: the others were not changed)' : ''}.`;
      notify({ message: text, severity: result.failed.length > 0 ? 'warning' : 'success' });
    },
    [noun, notify],
  );

  const patch = useCallback(
    async (ids: readonly string[], changes: BulkPatch, what: string) => {
      const abort = new AbortController();
      controller.current = abort;
      setFailures([]);
      setRunning({ what, progress: { done: 0, total: ids.length } });
      try {
        const result = await patchInBulk(db, collection, ids, changes, {
          signal: abort.signal,
          onProgress: (progress) => setRunning({ what, progress }),
        });
        report(result, 'Changed');
      } catch (error) {
        notify({ message: `${what} stopped: ${errorMessage(error)}`, severity: 'error' });
      } finally {
        setRunning(null);
        controller.current = null;
      }
    },
    [db, collection, report, notify],
  );

  const exportCsv = useCallback(
    async (ids: readonly string[]) => {
      try {
        const docs = await db[collection].findByIds([...ids]).exec();
        const records = [...docs.values()].map((doc) => doc.toJSON() as Contact | Lead);
        const { downloadRecordsCsv } = await loadCsvExport();
        await downloadRecordsCsv(db, collection, records, 'selected');
        notify({ message: `Exported ${plural(records.length, noun)}`, severity: 'success' });
      } catch (error) {
        notify({
          message: `Could not export the selected ${noun}s: ${errorMessage(error)}`,
          severity: 'error',
        });
      }
    },
    [db, collection, noun, notify],
  );

  const remove = useCallback(
    (ids: readonly string[]) => {
      deleteWithUndo({
        ids,
        message: `Deleted ${plural(ids.length, noun)}`,
        failureMessage: `Could not delete every selected ${noun}`,
        remove: async () => {
          const result = await removeInBulk(db, collection, ids);
          setFailures(result.failed);
          if (result.failed.length > 0)
            throw new Error(`${plural(result.failed.length, noun)} refused; see the list above the table`);
        },
      });
    },
    [db, collection, noun, deleteWithUndo],
  );

  return {
    running,
    failures,
    dismissFailures: () => setFailures([]),
    cancel: () => controller.current?.abort(),
    patch,
    exportCsv,
    remove,
  };
}
