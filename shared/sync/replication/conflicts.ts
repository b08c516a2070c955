import type { CollectionName } from '@shared/schemas';
import type { RxConflictHandler } from 'rxdb';
import type { CrmDatabase } from '../crm-database';
import { queueReplacedEdits } from '../rules/audit-log';
import { crmConflictHandler, lostEdits, type MergeInput } from './merge';
import { keepingNewerLocalStates } from './rxdb-internals';

/** A server state older than the local document's: the server numbered it before one this device already has. */
function isOlderServerState(pulled: unknown, local: unknown): boolean {
  const pulledRev = (pulled as { serverRev?: unknown }).serverRev;
  const localRev = (local as { serverRev?: unknown }).serverRev;
  return typeof pulledRev === 'number' && typeof localRev === 'number' && pulledRev < localRev;
}

/**
 * The conflict handler of one replicated collection of `db`: the per-field merge of `merge.ts`, and for
 * contacts and leads a timeline entry for each of this device's edits the merge replaced with another
 * device's later edit, so the person who made it can read what happened to it. A pulled state older than
 * the local document never replaces it (keepingNewerLocalStates).
 */
export function conflictHandlerFor(db: CrmDatabase, collection: CollectionName): RxConflictHandler<unknown> {
  return keepingNewerLocalStates(mergeFor(db, collection), isOlderServerState);
}

function mergeFor(db: CrmDatabase, collection: CollectionName): RxConflictHandler<unknown> {
  if (collection !== 'contacts' && collection !== 'leads') return crmConflictHandler;
  return {
    isEqual: crmConflictHandler.isEqual,
    resolve(input, context) {
      const merge = input as unknown as MergeInput;
      const lost = lostEdits(merge);
      if (lost.length > 0) {
        const master = merge.realMasterState;
        queueReplacedEdits(db, collection, {
          record: merge.newDocumentState as Record<string, unknown> & { id: string },
          lost,
          replacedBy: String(master.updatedBy ?? ''),
          serverRev: master.serverRev,
        });
      }
      return crmConflictHandler.resolve(input, context);
    },
  };
}
