import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { createContext, type ReactNode, useCallback, useMemo, useState } from 'react';
import { useNotify } from '../hooks/useNotify';

/** How long a deletion can be undone. Nothing is written (nor replicated) before it ends. */
export const UNDO_WINDOW_MS = 6000;

export type DeleteRequest = {
  /** Records to hide from lists and boards while the deletion can still be undone. */
  ids: readonly string[];
  /** "Deleted contact Ada Lovelace" */
  message: string;
  /** Writes the deletion (through the database layer, so the link rules run). */
  remove: () => Promise<void>;
  /** "Could not delete Ada Lovelace" */
  failureMessage: string;
};

export type UndoableDelete = {
  /** Ids whose deletion waits for its undo window to close. */
  hidden: ReadonlySet<string>;
  deleteWithUndo: (request: DeleteRequest) => void;
};

export const UndoableDeleteContext = createContext<UndoableDelete | null>(null);

/**
 * Deletions the user can take back for a few seconds: the records disappear from view at once, and the
 * deletion is written only when the Undo notification goes away. Until then nothing reaches the outbox,
 * so an undone deletion never reaches another device.
 */
export function UndoableDeleteProvider({ children }: { children: ReactNode }) {
  const notify = useNotify();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());

  const unhide = useCallback((ids: readonly string[]) => {
    setHidden((previous) => {
      const next = new Set(previous);
      for (const id of ids) next.delete(id);
      return next;
    });
  }, []);

  const deleteWithUndo = useCallback(
    (request: DeleteRequest) => {
      setHidden((previous) => new Set([...previous, ...request.ids]));
      notify({
        message: request.message,
        severity: 'info',
        durationMs: UNDO_WINDOW_MS,
        action: {
          label: 'Undo',
          onClick: () => {
            unhide(request.ids);
            notify({ message: 'Deletion undone', severity: 'success' });
          },
        },
        onExpire: () => {
          request
            .remove()
            .catch((error: unknown) =>
              notify({ message: `${request.failureMessage}: ${errorMessage(error)}`, severity: 'error' }),
            )
            .finally(() => unhide(request.ids));
        },
      });
    },
    [notify, unhide],
  );

  const value = useMemo(() => ({ hidden, deleteWithUndo }), [hidden, deleteWithUndo]);
  return <UndoableDeleteContext.Provider value={value}>{children}</UndoableDeleteContext.Provider>;
}
